import type { Metadata, Viewport } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { canAdminister, canModerate, getSessionUser } from "@/lib/auth";
import { getSignupMode } from "@/lib/users";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Flick", template: "%s · Flick" },
  description: "Short videos, picked for you.",
  icons: { icon: "/icon.svg", apple: "/apple-touch-icon.png" },
  appleWebApp: { capable: true, title: "Flick", statusBarStyle: "black-translucent" },
};

export const viewport: Viewport = { themeColor: "#0b0b0f", colorScheme: "dark", width: "device-width", initialScale: 1, viewportFit: "cover" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  // A closed instance offers no sign-up link (the page itself says sign-ups are closed for anyone who types it).
  const signupOpen = user ? false : (await getSignupMode()) !== "closed";
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <IntentLink href="/" className="brand">
            Flick<span>.</span>
          </IntentLink>
          <nav className="nav" aria-label="Account">
            <IntentLink href="/search">Search</IntentLink>
            {user ? (
              <>
                <NotificationBell />
                <IntentLink href="/upload">Upload</IntentLink>
                <IntentLink href="/studio">Studio</IntentLink>
                <IntentLink href={`/@${user.handle}`} data-testid="nav-profile">
                  @{user.handle}
                </IntentLink>
                <IntentLink href="/settings">Settings</IntentLink>
                {canAdminister(user) ? (
                  <IntentLink href="/admin">Admin</IntentLink>
                ) : canModerate(user) ? (
                  <IntentLink href="/admin/moderation">Moderation</IntentLink>
                ) : null}
                <SignOutButton />
              </>
            ) : (
              <>
                <IntentLink href="/sign-in">Sign in</IntentLink>
                {signupOpen && (
                  <IntentLink href="/sign-up" className="button">
                    Sign up
                  </IntentLink>
                )}
              </>
            )}
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
