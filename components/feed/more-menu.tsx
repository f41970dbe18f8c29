"use client";

// The "⋯" button under a video's actions and its small menu: "Not interested", "Report", and for someone else's video
// "Mute @author" and "Block @author". Closes on Escape, on a click elsewhere and after a choice; arrow keys move
// between the items, as in any menu.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import styles from "./feed.module.css";
import { MoreIcon } from "./icons";

type Props = {
  onNotInterested: () => void;
  onReport: () => void;
  /** The author's account actions; absent on the viewer's own videos. */
  author?: { handle: string; onMute: () => void; onBlock: () => void };
};

export function MoreMenu({ onNotInterested, onReport, author }: Props) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    rootRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", closeOnOutside);
    return () => document.removeEventListener("pointerdown", closeOnOutside);
  }, [open]);

  function closeMenu() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape") {
      event.stopPropagation();
      closeMenu();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    // Keeps the feed's own ↑/↓ from moving to another video while the menu has focus.
    event.stopPropagation();
    const items = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('[role="menuitem"]'));
    const current = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = (current + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
    items[next]?.focus();
  }

  function choose(action: () => void) {
    setOpen(false);
    action();
  }

  return (
    <div ref={rootRef} className={styles.more}>
      <button
        ref={buttonRef}
        type="button"
        className={styles.actionButton}
        aria-label="More"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="more-button"
        onClick={() => setOpen((value) => !value)}
      >
        <span className={styles.actionIcon}>
          <MoreIcon />
        </span>
      </button>
      {open && (
        <div id={menuId} role="menu" aria-label="More" className={styles.menu} onKeyDown={onMenuKeyDown}>
          <button type="button" role="menuitem" data-testid="not-interested" onClick={() => choose(onNotInterested)}>
            Not interested
          </button>
          <button type="button" role="menuitem" data-testid="report-button" onClick={() => choose(onReport)}>
            Report
          </button>
          {author && (
            <>
              <button type="button" role="menuitem" data-testid="mute-author" onClick={() => choose(author.onMute)}>
                Mute @{author.handle}
              </button>
              <button type="button" role="menuitem" data-testid="block-author" onClick={() => choose(author.onBlock)}>
                Block @{author.handle}
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
