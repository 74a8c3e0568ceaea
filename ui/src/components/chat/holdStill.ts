// How a row tells the chat list to hold still while its moderation menu is open: the list stops
// following new messages so the row stays under the streamer's pointer and keyboard, whether
// focus is in the menu or not, and follows again when the menu closes or its row goes.
import { createContext, useContext, useEffect } from "react";

/** Holds the list still until the function it answers is called. */
export type HoldStill = () => () => void;

export const HoldStillContext = createContext<HoldStill | null>(null);

/** Holds the chat list still while `holding`. */
export function useHoldStill(holding: boolean): void {
  const hold = useContext(HoldStillContext);
  useEffect(() => (holding && hold ? hold() : undefined), [holding, hold]);
}
