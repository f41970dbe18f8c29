"use client";

import { RANGE_PRESETS, type RangeDays } from "./range";

export function RangePicker({ days, onChange }: { days: RangeDays; onChange: (days: RangeDays) => void }) {
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGE_PRESETS.map((preset) => (
        <button
          key={preset.days}
          type="button"
          className={preset.days === days ? "button" : "button secondary"}
          aria-pressed={preset.days === days}
          onClick={() => onChange(preset.days)}
        >
          {preset.label}
        </button>
      ))}
    </div>
  );
}
