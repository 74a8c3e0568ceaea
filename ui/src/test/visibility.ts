import { act } from "@testing-library/react";

/** Sets what the document says of its visibility and tells its listeners, as WebKit does. */
export function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  act(() => {
    document.dispatchEvent(new Event("visibilitychange"));
  });
}
