// The For You / Following tabs at the top centre of the feed. The tab lives in the URL (?tab=following), so it
// survives a reload and can be linked. The site header (brand, account links) floats over the feed beside them.
import { IntentLink } from "@/components/ui/intent-link";
import type { FeedTab } from "@/lib/feed/types";
import styles from "./feed.module.css";

type Props = { tab: FeedTab; signedIn: boolean };

const FOLLOWING_PATH = "/?tab=following";

export function FeedTabs({ tab, signedIn }: Props) {
  // Signed out, "Following" has nothing to show: go straight to sign-in, and come back to it after.
  const followingHref = signedIn ? FOLLOWING_PATH : `/sign-in?next=${encodeURIComponent(FOLLOWING_PATH)}`;
  return (
    <nav className={styles.tabs} aria-label="Feeds">
      <IntentLink href="/" className={styles.tab} aria-current={tab === "foryou" ? "page" : undefined} data-testid="tab-foryou">
        For You
      </IntentLink>
      <IntentLink href={followingHref} className={styles.tab} aria-current={tab === "following" ? "page" : undefined} data-testid="tab-following">
        Following
      </IntentLink>
    </nav>
  );
}
