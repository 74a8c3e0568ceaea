// How the window words what Rust says of OBS: the link's state as cause and fix, the stream's
// health, the rule that ends the stream, and the studio's automatic actions.
import type { Translate } from "../../i18n";
import type { ObsHealthView, ObsLinkView, ObsNews, ObsView } from "../../ipc";

/** One line, or a cause with its fix. */
export type LinkWords = { line: string } | { cause: string; fix: string };

export function linkWords(t: Translate, link: ObsLinkView): LinkWords | null {
  switch (link.state) {
    case "off":
      return null;
    case "connecting":
      return { line: t("obs.link.connecting") };
    case "connected":
      return { line: t("obs.link.connected", { obs: link.obsVersion, websocket: link.websocketVersion }) };
    case "notListening":
      return {
        cause: t("obs.link.notListening.cause", { address: link.address }),
        fix: t("obs.link.notListening.fix"),
      };
    case "wrongPassword":
      return {
        cause: link.passwordGiven ? t("obs.link.wrongPassword.cause") : t("obs.link.noPassword.cause"),
        fix: t("obs.link.wrongPassword.fix"),
      };
    case "tooOld":
      return {
        cause: t("obs.link.tooOld.cause", { version: link.websocketVersion }),
        fix: t("obs.link.tooOld.fix"),
      };
    case "failed":
      return { cause: t("obs.link.failed.cause", { error: link.error }), fix: t("obs.link.failed.fix") };
  }
}

export function outputWords(t: Translate, view: ObsView): string | null {
  if (view.link.state !== "connected") return null;
  switch (view.output) {
    case "streaming":
      return t("obs.output.streaming");
    case "reconnecting":
      return t("obs.output.reconnecting");
    case "starting":
      return t("obs.output.starting");
    case "stopping":
      return t("obs.output.stopping");
    case "stopped":
      return t("obs.output.stopped");
    case "unknown":
      return null;
  }
}

export function healthWords(t: Translate, health: ObsHealthView): string[] {
  const parts: string[] = [];
  if (health.bitrateKbps !== null) parts.push(t("obs.health.bitrate", { kbps: health.bitrateKbps }));
  parts.push(
    t("obs.health.dropped", {
      skipped: health.skippedFrames,
      total: health.totalFrames,
      percent: health.droppedPercent ?? 0,
    }),
  );
  if (health.congestion !== null) {
    parts.push(t("obs.health.congestion", { percent: Math.round(health.congestion * 100) }));
  }
  return parts;
}

export function ruleWords(t: Translate, view: ObsView): string | null {
  const rule = view.stopRule;
  if (!rule) return null;
  switch (rule.rule) {
    case "ingestWindow":
      return t("obs.rule.ingestWindow");
    case "afterGrace":
      return t("obs.rule.afterGrace", { seconds: rule.seconds });
    case "switchOff":
      return t("obs.rule.switchOff");
    case "startedByHand":
      return t("obs.rule.startedByHand");
  }
}

export function newsWords(t: Translate, news: ObsNews): string {
  switch (news.kind) {
    case "waitingForSession":
      return t("obs.news.waitingForSession", { seconds: news.seconds });
    case "noSessionFromIngest":
      return t("obs.news.noSessionFromIngest", { seconds: news.seconds });
    case "goingLive":
      return t("obs.news.goingLive");
    case "goingLiveWithForm":
      return t("obs.news.goingLiveWithForm");
    case "stoppingSoon":
      return t("obs.news.stoppingSoon", { seconds: news.seconds });
    case "stopCancelled":
      return t("obs.news.stopCancelled");
    case "stopping":
      return t("obs.news.stopping");
    case "endsWithIngestWindow":
      return t("obs.news.endsWithIngestWindow");
    case "goLiveFailed":
      return t("obs.news.goLiveFailed", { cause: news.cause, fix: news.fix });
    case "stopFailed":
      return t("obs.news.stopFailed", { cause: news.cause, fix: news.fix });
    case "droppingFrames":
      return t("obs.news.droppingFrames", { percent: news.percent ?? 0 });
    case "obsReconnecting":
      return t("obs.news.obsReconnecting");
  }
}
