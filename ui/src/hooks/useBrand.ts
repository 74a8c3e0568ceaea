import { useEffect, useState } from "react";
import { type BrandView, ipc } from "../ipc";

/** The brand this build carries; its accent colour is applied to the page once it is known. */
export function useBrand(): BrandView | null {
  const [brand, setBrand] = useState<BrandView | null>(null);
  useEffect(() => {
    let current = true;
    ipc.brand().then((view) => {
      if (!current) return;
      // Through the CSSOM, which the page's CSP (no inline styles) allows.
      document.documentElement.style.setProperty("--accent", view.accent);
      setBrand(view);
    });
    return () => {
      current = false;
    };
  }, []);
  return brand;
}
