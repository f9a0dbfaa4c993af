// The sandbox workspace: polls the channel as the chosen person sees it and renders the bot's Block Kit.
// Text from the bot, AWS or CloudTrail is only ever put into the page as text nodes, never as HTML.
"use strict";

const state = { as: null, view: null, lastJson: "" };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return node;
}

function unescapeSlack(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function personName(id) {
  const p = (state.view?.people || []).find((x) => x.id === id);
  return p ? p.name : id;
}

// Slack mrkdwn: links and mentions <…>, *bold*, _italic_, ~strike~, `code`, ```pre```, line breaks.
function mrkdwn(text) {
  const out = document.createDocumentFragment();
  text.split(/```/).forEach((part, i) => {
    if (i % 2 === 1) { out.append(el("pre", {}, unescapeSlack(part))); return; }
    part.split(/(<[^>]+>)/).forEach((piece) => {
      const link = piece.match(/^<([^>|]+)(?:\|([^>]*))?>$/);
      if (link) {
        const target = link[1];
        if (target.startsWith("@")) out.append(el("strong", {}, "@" + personName(target.slice(1))));
        else if (target.startsWith("#")) out.append(el("strong", {}, "#" + (link[2] || target.slice(1))));
        else if (target.startsWith("!")) out.append(el("strong", {}, "@" + target.slice(1)));
        else out.append(el("a", { href: /^https?:/.test(target) ? target : "#", target: "_blank", rel: "noopener" },
          unescapeSlack(link[2] || target)));
        return;
      }
      inline(unescapeSlack(piece), out);
    });
  });
  return out;
}

function inline(text, out) {
  // Emoji codes first, so that their underscores are not taken for italics; styles only at word boundaries, as Slack.
  const pattern = /(:[a-z0-9_+-]+:|`[^`]+`|(?<![\w*])\*[^*\n]+\*(?![\w*])|(?<![\w_])_[^_\n]+_(?![\w_])|(?<!\w)~[^~\n]+~(?!\w)|\n)/;
  text.split(pattern).forEach((t) => {
    if (!t) return;
    if (t === "\n") out.append(el("br"));
    else if (/^:[a-z0-9_+-]+:$/.test(t)) out.append(emoji(t));
    else if (/^`.+`$/.test(t)) out.append(el("code", {}, t.slice(1, -1)));
    else if (/^\*.+\*$/.test(t)) out.append(el("strong", {}, t.slice(1, -1)));
    else if (/^_.+_$/.test(t)) out.append(el("em", {}, t.slice(1, -1)));
    else if (/^~.+~$/.test(t)) out.append(el("s", {}, t.slice(1, -1)));
    else out.append(t);
  });
}

function emoji(code) {
  return EMOJI[code.slice(1, -1)] || code;
}

function plain(text) {
  return text.replace(/:[a-z0-9_+-]+:/g, emoji);
}

const EMOJI = { white_check_mark: "✅", warning: "⚠️", x: "❌", lock: "🔒", rotating_light: "🚨", hourglass: "⌛",
  hourglass_flowing_sand: "⏳", key: "🔑", mag: "🔍", no_entry: "⛔", eyes: "👀", globe_with_meridians: "🌐",
  grey_question: "❔", link: "🔗", raised_hand: "✋", red_circle: "🔴", white_circle: "⚪", spiral_note_pad: "🗒️",
  busy_in_meeting: "📅", aws: "☁️", mm: "〽️", satellite: "📡", clock3: "🕒", large_green_circle: "🟢",
  leftwards_arrow_with_hook: "↩️" };

function textObject(t) {
  if (!t) return document.createTextNode("");
  return t.type === "mrkdwn" ? mrkdwn(t.text) : document.createTextNode(plain(t.text));
}

function button(element, message) {
  const b = el("button", { type: "button" }, plain(element.text?.text || ""));
  if (element.style) b.classList.add(element.style);
  b.addEventListener("click", () => {
    const click = () => post("/api/click", { as: state.as, channel: message.channel, ts: message.ts,
      action_id: element.action_id, block_id: element.block_id || "", value: element.value || "" });
    if (element.confirm) confirmDialog(element.confirm, click); else click();
  });
  return b;
}

function confirmDialog(confirm, onConfirm) {
  const layer = $("dialog-layer");
  const close = () => { layer.textContent = ""; };
  const yes = el("button", { type: "button", class: confirm.style || "primary" }, confirm.confirm?.text || "Confirm");
  const no = el("button", { type: "button" }, confirm.deny?.text || "Cancel");
  yes.addEventListener("click", () => { close(); onConfirm(); });
  no.addEventListener("click", close);
  layer.append(el("div", { role: "dialog", "aria-modal": "true", "aria-label": confirm.title?.text || "Confirm" },
    el("h3", {}, confirm.title?.text || ""), el("p", {}, textObject(confirm.text)), yes, no));
}

function block(b, message) {
  switch (b.type) {
    case "header": return el("div", { class: "block-header" }, plain(b.text?.text || ""));
    case "divider": return el("hr", { class: "block-divider" });
    case "context": return el("div", { class: "block-context" },
      (b.elements || []).map((e) => e.type === "image" ? el("span", {}, e.alt_text || "") : el("span", {}, textObject(e), " ")));
    case "actions": return el("div", { class: "block-actions" },
      (b.elements || []).filter((e) => e.type === "button").map((e) => button(e, message)));
    case "section": {
      const node = el("div", { class: "block-section" });
      if (b.text) node.append(el("div", {}, textObject(b.text)));
      if (b.fields) node.append(el("div", { class: "block-fields" }, b.fields.map((f) => el("div", {}, textObject(f)))));
      if (b.accessory?.type === "button") node.append(el("div", { class: "accessory" }, button(b.accessory, message)));
      return node;
    }
    default: return el("div", {}, b.text?.text ? textObject(b.text) : "");
  }
}

function renderMessage(m, channel) {
  const message = { channel: m.channel || channel, ts: m.ts };
  const author = m.author === "bot" ? "Leaked Key Bot" : personName(m.author);
  const node = el("div", { class: "message" + (m.ephemeral ? " ephemeral" : ""), "data-ts": m.ts },
    el("span", { class: "author" }, author));
  if (m.ephemeral) node.append(el("span", { class: "only-you" }, "Only visible to you"));
  if (m.blocks && m.blocks.length) m.blocks.forEach((b) => node.append(block(b, message)));
  else node.append(el("div", {}, mrkdwn(m.text || "")));
  if (m.replies && m.replies.length) {
    node.append(el("div", { class: "replies-count" }, m.replies.length + (m.replies.length === 1 ? " reply" : " replies")));
    node.append(el("div", { class: "replies" }, m.replies.map((r) => renderMessage(r, message.channel))));
  }
  return node;
}

function render(view) {
  $("scenario").textContent = view.scenario;
  $("leaked-key").textContent = view.leakedKeyId;
  $("channel-name").textContent = view.channel;
  const select = $("acting-as");
  if (!select.options.length) {
    view.people.forEach((p) => select.append(el("option", { value: p.id }, p.name + " (" + p.role + ")")));
    view.scenarios.forEach((s) => $("next-scenario").append(el("option", { value: s.name, title: s.summary }, s.name)));
    select.value = state.as;
    $("next-scenario").value = view.scenario;
  }
  const channelScroll = window.scrollY;
  $("messages").replaceChildren(...view.messages.map((m) => renderMessage(m, "C0INCIDENTS")));
  $("direct-messages").replaceChildren(...view.directMessages.map((m) => renderMessage(m, m.channel)));
  window.scrollTo(0, channelScroll);
  // Closing the incident posts its timeline: that ends the drill.
  $("drill-over").hidden = !state.lastJson.includes(":spiral_note_pad: Timeline — ");
}

async function refresh() {
  try {
    const response = await fetch("/api/view?as=" + encodeURIComponent(state.as));
    const text = await response.text();
    if (text !== state.lastJson) {
      state.lastJson = text;
      state.view = JSON.parse(text);
      render(state.view);
    }
  } catch (e) {
    // The sandbox may be restarting a drill; the next poll tries again.
  }
}

async function post(path, body) {
  await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  refresh();
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("message");
  const text = input.value.trim();
  if (text) post("/api/message", { as: state.as, text });
  input.value = "";
});
$("acting-as").addEventListener("change", (event) => { state.as = event.target.value; state.lastJson = ""; refresh(); });
const resetDrill = () => confirmDialog({ title: { text: "Reset the drill?" },
  text: { type: "plain_text", text: "AWS, the trail, the bot's state and the channel start again." },
  confirm: { text: "Reset" }, deny: { text: "Cancel" } },
  () => post("/api/reset", { scenario: $("next-scenario").value }).then(() => { state.lastJson = ""; }));
$("reset").addEventListener("click", resetDrill);
$("reset-again").addEventListener("click", resetDrill);

state.as = "U0RILEY";
refresh();
setInterval(refresh, 500);
