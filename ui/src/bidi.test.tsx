import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { isolate } from "./bidi";
import { CLAMP_CHARS, CLAMP_LINES, clamp, isLong } from "./chat/longMessage";
import { DeepLinkLog } from "./components/DeepLinkLog";
import { ErrorNotice } from "./components/ErrorNotice";

const RLO = "\u202E";

describe("hostile text", () => {
  it("is isolated inside a sentence, and cannot close the isolation early", () => {
    expect(isolate("admin")).toBe("\u2068admin\u2069");
    expect(isolate(`\u2069${RLO}evil`)).toBe(`\u2068${RLO}evil\u2069`);
  });

  it("in a deep link's path and parameter names reorders nothing around it", () => {
    render(
      <DeepLinkLog
        links={[
          {
            sequence: 1,
            link: `dev.restreamstudio://connect/${RLO}kcabllac`,
            parameters: [`${RLO}etats`, "platform"],
            receivedAt: "0",
          },
        ]}
      />,
    );
    const item = screen.getByTestId("deep-links").querySelector("li") as HTMLElement;
    expect(item.querySelector("bdi code")?.textContent).toBe(`dev.restreamstudio://connect/${RLO}kcabllac`);
    expect(item.textContent).toContain(`${isolate(`${RLO}etats`)}, ${isolate("platform")}`);
  });

  it("in an error's code and message from the service stays in its own run", () => {
    render(
      <ErrorNotice
        error={{
          code: `${RLO}x`,
          status: 503,
          message: `${RLO}down`,
          cause: "The service is down.",
          fix: "Wait.",
          concern: "service",
        }}
      />,
    );
    const isolated = Array.from(document.querySelectorAll(".notice-detail bdi")).map((b) => b.textContent);
    expect(isolated).toEqual([`${RLO}x`, `${RLO}down`]);
  });
});

describe("long messages", () => {
  it("fold past the character or the line limit, never inside a surrogate pair", () => {
    expect(isLong("x".repeat(CLAMP_CHARS))).toBe(false);
    expect(isLong("x".repeat(CLAMP_CHARS + 1))).toBe(true);
    expect(isLong("line\n".repeat(CLAMP_LINES - 1))).toBe(false);
    expect(isLong("line\n".repeat(CLAMP_LINES))).toBe(true);
    const emoji = `${"x".repeat(CLAMP_CHARS - 1)}👋 and more`;
    expect(clamp(emoji)).toBe("x".repeat(CLAMP_CHARS - 1));
    expect(clamp("short")).toBe("short");
  });
});
