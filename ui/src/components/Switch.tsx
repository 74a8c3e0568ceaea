/** One on/off choice, labelled. */
export function Switch({
  testId,
  on,
  onChange,
  label,
}: {
  testId: string;
  on: boolean;
  onChange: (on: boolean) => void;
  label: string;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        data-testid={testId}
        checked={on}
        onChange={(event) => onChange(event.target.checked)}
      />
      {label}
    </label>
  );
}
