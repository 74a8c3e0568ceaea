import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  addComments,
  addSkipped,
  type ChatLog,
  dropSend,
  emptyLog,
  finishSend,
  SCROLLBACK,
  SCROLLBACK_WHILE_READING,
  startSend,
} from "../chat/chatLog";
import { applyModeration, lapsing, nextLapse } from "../chat/moderation";
import {
  type AppError,
  type ChatStatus,
  type CommentsReceived,
  ipc,
  type Platform,
  type ServiceStatus,
} from "../ipc";

export interface LiveChatState {
  log: ChatLog;
  status: ChatStatus;
  /** When `status` arrived (this computer's clock), for a "reconnecting in N s" countdown. */
  statusAt: number;
  sendError: AppError | null;
  /**
   * Sends `message` to `platforms` (`null`: every destination). Answers the platforms that did
   * not take it (empty: delivered everywhere), or `null` when the service was not reached.
   */
  send: (
    message: string,
    platforms: Platform[] | null,
    destinations: Platform[],
  ) => Promise<Platform[] | null>;
  /** The streamer is reading older messages: keep more, so nothing is dropped under them. */
  setReading: (reading: boolean) => void;
}

/** The longest wait a browser's `setTimeout` takes as it is (about 24.8 days); a time-out is up to 14. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Items the log keeps: while the streamer reads older messages nothing is dropped under them. */
function kept(reading: boolean): number {
  return reading ? SCROLLBACK_WHILE_READING : SCROLLBACK;
}

/** The seed's `useLiveChat`: the merged chat (owned by Rust) as the window shows it, and sending. */
export function useLiveChat(status: ServiceStatus | null): LiveChatState {
  const [log, setLog] = useState<ChatLog>(emptyLog);
  const [chat, setChat] = useState<{ status: ChatStatus; at: number }>({
    status: { state: "connecting" },
    at: Date.now(),
  });
  const [sendError, setSendError] = useState<AppError | null>(null);
  // New chat cannot reach the window (its feed would not open): shown in place of the stream's state.
  const [feedProblem, setFeedProblem] = useState<AppError | null>(null);
  const reading = useRef(false);
  const sent = useRef(0);
  // The service's clock minus this computer's: a time-out's end is given in the service's.
  const clockOffset = useRef(0);
  const up = status?.state === "up";

  useEffect(() => {
    if (!up) return;
    let mounted = true;
    // Each batch is merged as it comes; React batches the ones that arrive before it renders, so
    // a burst costs one render per frame, not one per batch, and nothing waits on a frame (a
    // hidden window gets none).
    // A moderation comes after the comments of its batch, as it did in the stream.
    const take = (batch: CommentsReceived) => {
      const keep = kept(reading.current);
      const now = Date.now() + clockOffset.current;
      const { moderation } = batch;
      setLog((current) => {
        const next = addSkipped(
          addComments(current, batch.comments, batch.backfill, keep),
          batch.skipped,
          keep,
        );
        return moderation ? applyModeration(next, moderation, now, keep) : next;
      });
    };
    const offs = [ipc.onChatStatusChanged((next) => setChat({ status: next, at: Date.now() }))];
    ipc.studioSnapshot().then((result) => {
      if (!mounted || !result.ok) return;
      clockOffset.current = result.data.serverClockOffsetMs;
      // Comments are merged by id, so what the snapshot and the first batches share is not doubled.
      take({ comments: result.data.comments, backfill: false, skipped: 0, moderation: null });
      setChat((current) =>
        current.status.state === "connecting" ? { status: result.data.chat, at: Date.now() } : current,
      );
      offs.push(
        ipc.followComments(
          result.data.commentsCursor,
          (batch) => {
            if (mounted) take(batch);
          },
          () =>
            ipc.studioSnapshot().then((again) => {
              if (mounted && again.ok) {
                take({ comments: again.data.comments, backfill: true, skipped: 0, moderation: null });
              }
            }),
          (problem) => {
            if (mounted) setFeedProblem(problem);
          },
        ),
      );
    });
    return () => {
      mounted = false;
      for (const off of offs) off();
    };
  }, [up]);

  // A time-out's tag comes off when it ends: one timer, for the first end, set again whenever the
  // marks change. A timer may fire a little early on the wall clock: then it waits the rest.
  const lapseAt = useMemo(() => nextLapse(log.items), [log.items]);
  useEffect(() => {
    if (lapseAt === null) return;
    let timer: ReturnType<typeof setTimeout>;
    const wait = () => {
      const now = Date.now() + clockOffset.current;
      if (now >= lapseAt) setLog((current) => lapsing(current, now));
      else timer = setTimeout(wait, Math.min(lapseAt - now, MAX_TIMER_MS));
    };
    wait();
    return () => clearTimeout(timer);
  }, [lapseAt]);

  const send = useCallback(
    async (message: string, platforms: Platform[] | null, destinations: Platform[]) => {
      sent.current += 1;
      const key = `sent-${sent.current}`;
      setSendError(null);
      setLog((current) =>
        startSend(current, key, message, platforms ?? destinations, Date.now(), kept(reading.current)),
      );
      const result = await ipc.sendChat(message, platforms, crypto.randomUUID());
      if (result.ok) {
        setLog((current) => finishSend(current, key, result.data));
        return result.data.filter((r) => !r.ok).map((r) => r.platform);
      }
      setLog((current) => dropSend(current, key));
      setSendError(result.error);
      return null;
    },
    [],
  );

  const setReading = useCallback((value: boolean) => {
    reading.current = value;
  }, []);

  const chatStatus = useMemo<ChatStatus>(
    () =>
      feedProblem ? { state: "stopped", reason: `${feedProblem.cause} ${feedProblem.fix}` } : chat.status,
    [feedProblem, chat.status],
  );
  return { log, status: chatStatus, statusAt: chat.at, sendError, send, setReading };
}
