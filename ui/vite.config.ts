import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Tauri shell loads dist/ (or the dev server on a fixed port, see tauri.conf.json devUrl).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { host: "127.0.0.1", port: 1420, strictPort: true },
  build: { target: "safari16", sourcemap: false },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    restoreMocks: true,
    // The theme test reads the tokens from styles.css (`?raw`), which Vitest otherwise empties.
    css: { include: [/styles\.css/] },
  },
});
