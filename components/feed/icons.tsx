// The feed's icons as inline SVG: a few hundred bytes each, no icon font or package, and they inherit `color`.
import type { ReactNode } from "react";

type IconProps = { size?: number; className?: string };

function Svg({ size = 28, className, children }: IconProps & { children: ReactNode }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" className={className} aria-hidden="true" focusable="false" fill="currentColor">
      {children}
    </svg>
  );
}

export function HeartIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 21.35 10.55 20.03C5.4 15.36 2 12.27 2 8.5 2 5.41 4.42 3 7.5 3c1.74 0 3.41.81 4.5 2.09C13.09 3.81 14.76 3 16.5 3 19.58 3 22 5.41 22 8.5c0 3.77-3.4 6.86-8.55 11.54L12 21.35Z" />
    </Svg>
  );
}

export function CommentIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 3C6.48 3 2 6.92 2 11.75c0 2.52 1.22 4.78 3.17 6.38-.2 1.3-.83 2.5-1.77 3.45a.5.5 0 0 0 .4.85c2.06-.16 3.93-.9 5.3-1.95.93.2 1.9.3 2.9.3 5.52 0 10-3.92 10-8.75S17.52 3 12 3Zm-4.5 10.25a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3Zm4.5 0a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3Zm4.5 0a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3Z" />
    </Svg>
  );
}

export function BookmarkIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M6 2.5h12A1.5 1.5 0 0 1 19.5 4v17.1a.6.6 0 0 1-.95.49L12 17l-6.55 4.59a.6.6 0 0 1-.95-.49V4A1.5 1.5 0 0 1 6 2.5Z" />
    </Svg>
  );
}

export function ShareIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M13.5 3.6a.6.6 0 0 1 1 -.45l8.1 7.4a.6.6 0 0 1 0 .9l-8.1 7.4a.6.6 0 0 1-1-.45V14.6C7.9 14.6 4.7 16.4 2.6 20.3a.35.35 0 0 1-.65-.2C2.6 12.9 6.9 8.9 13.5 8.5V3.6Z" />
    </Svg>
  );
}

export function MoreIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M5 10a2 2 0 1 1 0 4 2 2 0 0 1 0-4Zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4Zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4Z" />
    </Svg>
  );
}

export function PlayIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M8 4.8v14.4a.8.8 0 0 0 1.22.68l11.5-7.2a.8.8 0 0 0 0-1.36L9.22 4.12A.8.8 0 0 0 8 4.8Z" />
    </Svg>
  );
}

export function MutedIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M3 9.5v5a1 1 0 0 0 1 1h3.2l4.3 3.7a.6.6 0 0 0 1-.46V5.26a.6.6 0 0 0-1-.46L7.2 8.5H4a1 1 0 0 0-1 1Zm13.3-.8a.9.9 0 0 1 1.27 0L19 10.13l1.43-1.43a.9.9 0 1 1 1.27 1.27L20.27 11.4l1.43 1.43a.9.9 0 1 1-1.27 1.27L19 12.67l-1.43 1.43a.9.9 0 1 1-1.27-1.27l1.43-1.43-1.43-1.43a.9.9 0 0 1 0-1.27Z" />
    </Svg>
  );
}

export function SoundIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M3 9.5v5a1 1 0 0 0 1 1h3.2l4.3 3.7a.6.6 0 0 0 1-.46V5.26a.6.6 0 0 0-1-.46L7.2 8.5H4a1 1 0 0 0-1 1Zm12.6-1.9a.9.9 0 0 1 1.27.05 6.5 6.5 0 0 1 0 8.7.9.9 0 1 1-1.32-1.22 4.7 4.7 0 0 0 0-6.26.9.9 0 0 1 .05-1.27Zm2.9-2.7a.9.9 0 0 1 1.27.06 10.4 10.4 0 0 1 0 14.08.9.9 0 1 1-1.33-1.21 8.6 8.6 0 0 0 0-11.66.9.9 0 0 1 .06-1.27Z" />
    </Svg>
  );
}

export function PlusIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 4.5a1.5 1.5 0 0 1 1.5 1.5v4.5H18a1.5 1.5 0 0 1 0 3h-4.5V18a1.5 1.5 0 0 1-3 0v-4.5H6a1.5 1.5 0 0 1 0-3h4.5V6A1.5 1.5 0 0 1 12 4.5Z" />
    </Svg>
  );
}

export function CheckIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M9.55 17.3a1.2 1.2 0 0 1-.85-.35l-4.4-4.4a1.2 1.2 0 1 1 1.7-1.7l3.55 3.55 8.1-8.1a1.2 1.2 0 1 1 1.7 1.7l-8.95 8.95a1.2 1.2 0 0 1-.85.35Z" />
    </Svg>
  );
}

export function CloseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M6.4 5.1 12 10.7l5.6-5.6a.9.9 0 1 1 1.3 1.3L13.3 12l5.6 5.6a.9.9 0 1 1-1.3 1.3L12 13.3l-5.6 5.6a.9.9 0 1 1-1.3-1.3l5.6-5.6-5.6-5.6a.9.9 0 0 1 1.3-1.3Z" />
    </Svg>
  );
}
