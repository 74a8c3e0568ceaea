// The chat overlay's page. It shows what the studio sends and nothing else: the studio has
// already held, filtered and moderated every message. Chat is hostile, so every text goes in as
// a text node; a picture is only ever a data: image the studio fetched.
"use strict";

const chat = document.getElementById("chat");
const root = document.documentElement;
let look = { fontSize: 20, textColor: "#ffffff", rowColor: "#000000aa", badges: true, fadeSeconds: 0, maxLines: 12 };

function applyLook(next) {
  look = next;
  root.style.setProperty("--font-size", `${Number(look.fontSize)}px`);
  root.style.setProperty("--text", String(look.textColor));
  root.style.setProperty("--row", String(look.rowColor));
  root.style.setProperty("--fade", `${Number(look.fadeSeconds)}s`);
  chat.classList.toggle("no-badges", !look.badges);
  trim();
}

function rowOf(id) {
  for (const row of chat.children) if (row.dataset.id === id) return row;
  return null;
}

function remove(id) {
  rowOf(id)?.remove();
}

function trim() {
  while (chat.children.length > Math.max(1, Number(look.maxLines))) chat.firstElementChild.remove();
}

function textElement(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

function rowFor(comment) {
  const row = document.createElement("div");
  row.className = `row platform-${comment.platform}`;
  row.dataset.id = comment.id;
  row.dataset.saidAt = String(Number(comment.saidAt) || 0);
  row.append(textElement("span", "badge", comment.platformName));
  if (typeof comment.avatar === "string" && comment.avatar.startsWith("data:image/")) {
    const avatar = document.createElement("img");
    avatar.className = "avatar";
    avatar.alt = "";
    avatar.src = comment.avatar;
    row.append(avatar);
  }
  row.append(textElement("bdi", "author", comment.author));
  const text = textElement("span", "text", comment.message);
  text.dir = "auto";
  row.append(text);
  if (Number(look.fadeSeconds) > 0) {
    row.classList.add("fades");
    // A line sent again after a reconnect has shown for a while already: it fades when it would have.
    const left = Number(look.fadeSeconds) - (Number(comment.shownMs) || 0) / 1000;
    row.style.animationDelay = `${Math.max(0, left)}s`;
    row.addEventListener("animationend", () => row.remove());
  }
  return row;
}

function show(comment) {
  if (rowOf(comment.id)) return;
  chat.append(rowFor(comment));
  trim();
}

// The screen afresh (on connecting, and after falling behind): rows that are still shown stay as
// they are, so a reconnect does not redraw (or re-fade) them. An unsettled, empty screen means
// the studio has just started and not yet read its chat: keep what is here.
function reset(screen) {
  const keep = new Set(screen.comments.map((c) => c.id));
  if (screen.settled || keep.size > 0) {
    for (const row of [...chat.children]) if (!keep.has(row.dataset.id)) row.remove();
  }
  for (const comment of screen.comments) show(comment);
}

// In the studio's preview (`?preview`), sample lines stand in while no chat shows, so the
// streamer sees the look they choose.
const preview = new URLSearchParams(location.search);
const SAMPLES = {
  en: ["Hello from Twitch!", "This is how chat looks on stream", "GG 🎉"],
  es: ["¡Hola desde Twitch!", "Así se ve el chat en directo", "GG 🎉"],
};
const SAMPLE_FROM = [
  ["twitch", "Twitch", "viewer_one"],
  ["youtube", "YouTube", "Second Viewer"],
  ["kick", "Kick", "third"],
];

function samples() {
  if (!preview.has("preview")) return;
  const real = chat.querySelector(".row:not(.sample)");
  const shown = chat.querySelectorAll(".sample");
  if (real) {
    for (const row of shown) row.remove();
    return;
  }
  if (shown.length > 0) return;
  const words = SAMPLES[preview.get("lang")] ?? SAMPLES.en;
  words.forEach((message, n) => {
    const [platform, platformName, author] = SAMPLE_FROM[n];
    const row = rowFor({ id: `sample-${n}`, platform, platformName, author, message });
    row.classList.add("sample");
    row.classList.remove("fades");
    chat.append(row);
  });
}

function data(event) {
  return JSON.parse(event.data);
}

// EventSource reconnects by itself after a dropped connection; after a refusal (the studio is
// starting, or the address changed) it gives up, so start it again, for as long as OBS keeps
// the page open.
function connect() {
  const source = new EventSource("events");
  source.addEventListener("look", (event) => applyLook(data(event)));
  source.addEventListener("reset", (event) => {
    reset(data(event));
    samples();
  });
  source.addEventListener("show", (event) => {
    show(data(event));
    samples();
  });
  source.addEventListener("remove", (event) => {
    for (const id of data(event)) remove(id);
    samples();
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
  });
}

connect();
