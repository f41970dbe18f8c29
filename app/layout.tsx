import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { getSessionUser } from "@/lib/auth";
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
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Flick<span>.</span>
          </Link>
          <nav className="nav" aria-label="Account">
            <Link href="/search">Search</Link>
            {user ? (
              <>
                <NotificationBell />
                <Link href="/upload">Upload</Link>
                <Link href="/studio">Studio</Link>
                <Link href={`/@${user.handle}`} data-testid="nav-profile">
                  @{user.handle}
                </Link>
                <Link href="/settings">Settings</Link>
                <SignOutButton />
              </>
            ) : (
              <>
                <Link href="/sign-in">Sign in</Link>
                <Link href="/sign-up" className="button">
                  Sign up
                </Link>
              </>
            )}
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
