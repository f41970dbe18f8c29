"use client";

// Presets for the usual ranges, and two dates for any other (the API refuses backwards or year-long-plus ranges and
// the page shows its message).
import { lastDays, RANGE_PRESETS, type DayRange } from "./range";

export function RangePicker({ range, onChange }: { range: DayRange; onChange: (range: DayRange) => void }) {
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGE_PRESETS.map((preset) => {
        const presetRange = lastDays(preset.days);
        const selected = presetRange.from === range.from && presetRange.to === range.to;
        return (
          <button key={preset.days} type="button" className={selected ? "button" : "button secondary"} aria-pressed={selected} onClick={() => onChange(presetRange)}>
            {preset.label}
          </button>
        );
      })}
      <label className="range-day">
        <span className="hint">From</span>
        <input type="date" value={range.from} max={range.to} data-testid="range-from" onChange={(event) => event.target.value && onChange({ ...range, from: event.target.value })} />
      </label>
      <label className="range-day">
        <span className="hint">to</span>
        <input type="date" value={range.to} min={range.from} data-testid="range-to" onChange={(event) => event.target.value && onChange({ ...range, to: event.target.value })} />
      </label>
    </div>
  );
}
