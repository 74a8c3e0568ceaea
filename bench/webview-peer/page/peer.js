// What the web SDK does in a browser, in the same WebKit as the studio: EventSource straight to
// the service (credentials in the query, as browsers cannot set headers on it), fetch for the job
// and viewers, de-duplication by id, the latest 200 kept, one row per comment.
"use strict";

const KEEP = 200;
window.__added = 0;

// Given a service at start (the window's initialization script sets it), the page lists the
// service's platforms at once and marks the frame that shows them, as the studio does: the
// start figure is timed to that mark in both.
const service = window.__peerService;
if (service) {
  const headers = { "X-Publishable-Key": service.key, "X-User-Id": service.user };
  fetch(`${service.base}/api/v1/platforms`, { headers })
    .then((answer) => answer.json())
    .then(({ platforms }) => {
      const list = document.getElementById("platforms");
      for (const platform of platforms) {
        const item = document.createElement("li");
        item.textContent = platform.displayName;
        list.append(item);
      }
      requestAnimationFrame(() => performance.mark("platforms-drawn"));
    })
    .catch((error) => {
      document.getElementById("state").textContent = `platforms: ${error}`;
    });
}

window.startPeer = ({ base, key, user }) => {
  const headers = { "X-Publishable-Key": key, "X-User-Id": user };
  const state = document.getElementById("state");
  const list = document.getElementById("list");
  const seen = new Set();
  const query = `publishable_key=${encodeURIComponent(key)}&user_id=${encodeURIComponent(user)}`;
  const stream = new EventSource(`${base}/api/v1/comments/stream?${query}`);
  stream.onopen = () => {
    state.textContent = "live";
  };
  stream.onerror = () => {
    state.textContent = "reconnecting";
  };
  stream.addEventListener("comment", (event) => {
    const comment = JSON.parse(event.data);
    if (seen.has(comment.id)) return;
    seen.add(comment.id);
    window.__added += 1;
    const row = document.createElement("div");
    row.className = "row";
    row.dataset.commentId = comment.id;
    if (comment.authorAvatar) {
      const avatar = document.createElement("img");
      avatar.src = comment.authorAvatar;
      avatar.alt = "";
      row.append(avatar);
    }
    const body = document.createElement("div");
    const meta = document.createElement("div");
    const time = document.createElement("time");
    time.dateTime = new Date(comment.timestamp).toISOString();
    time.textContent = new Date(comment.timestamp).toLocaleTimeString();
    meta.append(`${comment.platform} · ${comment.author} `, time);
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = comment.message;
    body.append(meta, text);
    row.append(body);
    list.append(row);
    while (list.children.length > KEEP) list.firstElementChild.remove();
    list.scrollTop = list.scrollHeight;
  });
  // The SDK's pollers: the job every 2 s, its viewers every 10 s while it runs.
  let jobId = null;
  const poll = async (path, every) => {
    try {
      const answer = await (await fetch(`${base}/api/v1${path()}`, { headers })).json();
      if (answer && typeof answer.id === "string") jobId = answer.id;
    } catch {
      // The next poll tries again, as the SDK's pollers do.
    }
    setTimeout(() => poll(path, every), every);
  };
  poll(() => "/jobs/current", 2000);
  poll(() => (jobId ? `/jobs/${jobId}/viewers` : "/jobs/current"), 10000);
};
