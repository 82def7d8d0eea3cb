// The task page's only script, served as /assets/task-page.js (assets.ts) so the page's policy allows scripts
// from the hub itself and nothing inline. While the task is queued or running it follows
// GET /tasks/:id/events (task-events.ts): new steps are appended, the status badge follows the task, and when
// the task has finished the page reloads once, so the answer, the error and the pull request come rendered by
// the server as on any visit. Without JavaScript the page refreshes itself instead (a <noscript> refresh).
// Plain ES2017 in a string: it is sent to browsers as written, never bundled or transformed.

export const TASK_PAGE_SCRIPT = `"use strict";
(function () {
  var root = document.getElementById("task");
  if (!root || typeof EventSource !== "function") return;
  var status = root.getAttribute("data-status");
  if (status !== "queued" && status !== "running") return;
  var after = Number(root.getAttribute("data-after")) || 0;
  var badge = document.getElementById("task-status");
  var list = document.getElementById("task-steps");
  var empty = document.getElementById("task-steps-empty");
  var live = document.getElementById("task-live");

  function when(ms) {
    var iso = new Date(ms).toISOString();
    var at = document.createElement("time");
    at.className = "muted";
    at.dateTime = iso;
    at.title = iso.replace("T", " ").replace(/\\.\\d+Z$/, " UTC");
    at.textContent = iso.slice(11, 19);
    return at;
  }
  function showStatus(next) {
    if (!badge || typeof next !== "string") return;
    badge.textContent = next;
    badge.className = "status " + next;
  }
  function addStep(step) {
    if (!list || !(step.seq > after)) return;
    after = step.seq;
    var item = document.createElement("li");
    var at = when(step.at);
    var type = document.createElement("strong");
    type.textContent = step.type;
    item.appendChild(at);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(type);
    item.appendChild(document.createTextNode(" " + step.text));
    list.appendChild(item);
    list.hidden = false;
    if (empty) empty.hidden = true;
  }
  function read(event) {
    try {
      return JSON.parse(event.data);
    } catch (error) {
      return {};
    }
  }

  var source = new EventSource(root.getAttribute("data-events") + "?after=" + after);
  if (live) live.hidden = false;
  source.addEventListener("step", function (event) {
    addStep(read(event));
  });
  source.addEventListener("status", function (event) {
    showStatus(read(event).status);
  });
  source.addEventListener("done", function (event) {
    source.close();
    showStatus(read(event).status);
    if (live) live.textContent = "Finished: loading the result…";
    window.location.reload();
  });
})();
`;
