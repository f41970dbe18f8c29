// A row of headline numbers, each with a label; `testId` lets tests read one number.
export type StatTile = { label: string; value: string; testId: string; hint?: string };

export function StatTiles({ tiles }: { tiles: StatTile[] }) {
  return (
    <dl className="stat-tiles">
      {tiles.map((tile) => (
        <div key={tile.testId} className="stat-tile">
          <dt>{tile.label}</dt>
          <dd data-testid={tile.testId}>{tile.value}</dd>
          {tile.hint && <span className="hint">{tile.hint}</span>}
        </div>
      ))}
    </dl>
  );
}
