import type { KeyboardEvent, ReactNode } from "react";

interface Props {
  /** `alertdialog` when it asks about something that cannot wait (a live stream). */
  role: "dialog" | "alertdialog";
  /** The id of the heading that names it. */
  labelledBy: string;
  testId: string;
  /** What Escape does: the same as the choice that changes nothing. */
  onEscape: () => void;
  children: ReactNode;
}

/** A modal card over a dimmed window, for the window's few questions and overlays. */
export function Dialog({ role, labelledBy, testId, onEscape, children }: Props) {
  const shared = {
    className: "dialog card",
    "aria-modal": true,
    "aria-labelledby": labelledBy,
    "data-testid": testId,
    onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key !== "Escape") return;
      // The innermost question answers it: a dialog over another, or over a menu, closes alone.
      event.stopPropagation();
      onEscape();
    },
  };
  // The role is written out in each branch so the linter can check the ARIA it carries.
  return (
    <div className="dialog-backdrop">
      {role === "alertdialog" ? (
        <div role="alertdialog" {...shared}>
          {children}
        </div>
      ) : (
        <div role="dialog" {...shared}>
          {children}
        </div>
      )}
    </div>
  );
}
