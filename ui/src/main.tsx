// First: React's scheduler picks how it runs its tasks as it loads (see immediate.ts).
import "./immediate";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { startBoot } from "./boot";
import { markStart } from "./startMarks";
import "./styles.css";

markStart("ui-script");
startBoot();
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
