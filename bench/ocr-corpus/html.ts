// One conversation as the HTML and CSS of a phone screen in a given app style: status bar,
// header, wallpaper, bubbles with their times, receipts, reactions and sender names, separators,
// notices, a typing indicator and the composer. Chromium renders it into a corpus screenshot.
import type { Conversation, Item } from "./conversations.ts";
import { type Palette, STYLES, type AppStyle } from "./styles.ts";

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const LINK = /\b((?:https?:\/\/|www\.)\S+)/g;

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

function statusBar(android: boolean, palette: Palette, clock: string): string {
  const bars = [4, 7, 10, 13]
    .map((h) => `<i style="display:inline-block;width:3px;height:${h}px;margin-left:2px;background:currentColor"></i>`)
    .join("");
  const battery = `<span style="display:inline-block;width:22px;height:11px;border:1.5px solid currentColor;border-radius:3px;margin-left:6px;position:relative"><i style="position:absolute;left:1px;top:1px;bottom:1px;width:70%;background:currentColor;border-radius:1px"></i></span>`;
  const right = android
    ? `${bars}<span style="margin-left:6px">87%</span>${battery}`
    : `${bars}<span style="margin-left:6px">5G</span>${battery}`;
  return `<div class="status" style="color:${palette.chrome.text}"><span>${clock}</span><span class="icons">${right}</span></div>`;
}

function avatar(name: string, size: number, hue: number): string {
  return `<span class="avatar" style="width:${size}px;height:${size}px;font-size:${Math.round(size * 0.4)}px;background:hsl(${hue} 45% 55%)">${escape(initials(name))}</span>`;
}

function header(style: AppStyle, palette: Palette, conversation: Conversation): string {
  const spec = STYLES[style];
  const title = conversation.group ?? conversation.contact;
  if (spec.headerCentered) {
    return `<div class="header centered">
      <span class="back">‹</span>
      <div class="who">${avatar(title, 44, 210)}<div class="name">${escape(title)} <small>›</small></div></div>
    </div>`;
  }
  const subtitle = conversation.subtitle ? `<div class="subtitle">${escape(conversation.subtitle)}</div>` : "";
  return `<div class="header">
    <span class="back">${spec.android ? "←" : "‹"}</span>
    ${avatar(title, 36, 25)}
    <div class="who"><div class="name">${escape(title)}</div>${subtitle}</div>
    <span class="actions"><i class="icon cam"></i><i class="icon phone"></i></span>
  </div>`;
}

/** Links are underlined; on a saturated bubble with white text (mine, mostly) they keep the text's colour. */
function withLinks(text: string, colour: string): string {
  return escape(text).replace(LINK, (url) => `<span style="color:${colour};text-decoration:underline">${url}</span>`);
}

function bubble(
  style: AppStyle,
  palette: Palette,
  item: Extract<Item, { kind: "message" }>,
  runEnd: boolean,
  runStart: boolean,
): string {
  const spec = STYLES[style];
  const side = item.author === "me" ? palette.me : palette.them;
  const ticks = item.author === "me" && spec.ticks !== "none" ? (spec.ticks === "double" ? " ✓✓" : " ✓") : "";
  const meta = spec.timeInBubble
    ? `<span class="meta" style="color:${side.meta}">${escape(item.time)}${ticks}</span>`
    : "";
  const sender =
    item.sender && runStart
      ? `<div class="sender" style="color:${palette.sender[item.sender.length % palette.sender.length]}">${escape(item.sender)}</div>`
      : "";
  const reaction = item.reaction ? `<span class="reaction">${escape(item.reaction)}</span>` : "";
  const emoji = item.emojiOnly ? " emoji" : "";
  const tail = spec.tail && runEnd ? " tail" : "";
  // An emoji sent on its own has no bubble: it is drawn on the wallpaper in the conversation's own
  // text colour (a white emoji from my side on a white page would be invisible; real emoji are in colour).
  const colour = item.emojiOnly ? palette.them.text : side.text;
  const body = `<div class="bubble ${item.author}${emoji}${tail}${reaction ? " reacted" : ""}" style="background:${item.emojiOnly ? "transparent" : side.fill};color:${colour}">${sender}<span class="text">${withLinks(item.text, side.text.toLowerCase() === "#ffffff" && item.author === "me" ? side.text : palette.link)}</span>${meta}${reaction}</div>`;
  const left =
    spec.avatarBeside && item.author === "them"
      ? runEnd
        ? avatar(item.sender ?? "Maya Lane", 28, 140)
        : `<span class="avatar-space"></span>`
      : "";
  return `<div class="row ${item.author}${runEnd ? " run-end" : ""}" data-index="${item.index}">${left}${body}</div>`;
}

export function chatHtml(
  style: AppStyle,
  theme: "light" | "dark",
  conversation: Conversation,
  viewport: { width: number; height: number },
  clock: string,
): string {
  const spec = STYLES[style];
  const palette = spec[theme];
  const items = conversation.items;
  const rows: string[] = [];
  items.forEach((item, position) => {
    if (item.kind === "separator") {
      const lines = item.text.split("\n").map(escape).join("<br>");
      rows.push(
        `<div class="separator"><span style="background:${palette.separator.fill};color:${palette.separator.text}">${lines}</span></div>`,
      );
    } else if (item.kind === "notice") {
      rows.push(`<div class="notice"><span>${escape(item.text)}</span></div>`);
    } else {
      const next = items[position + 1];
      const previous = items[position - 1];
      const runEnd = !(next?.kind === "message" && next.author === item.author && next.sender === item.sender);
      const runStart = !(
        previous?.kind === "message" &&
        previous.author === item.author &&
        previous.sender === item.sender
      );
      rows.push(bubble(style, palette, item, runEnd, runStart));
      const last = [...items].reverse().find((candidate) => candidate.kind === "message");
      if (spec.statusBelow && item === last && item.author === "me")
        rows.push(`<div class="below">${escape(spec.statusBelow)}</div>`);
    }
  });
  if (conversation.typing) {
    rows.push(
      `<div class="row them typing-row"><div class="bubble them typing" style="background:${palette.them.fill}"><i></i><i></i><i></i></div></div>`,
    );
  }
  const composer = `<div class="composer"><span class="plus">+</span><div class="field">${escape(spec.composer)}</div><i class="icon mic"></i></div>`;
  const pill = spec.separatorPill;
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  * { box-sizing: border-box; margin: 0; padding: 0; }
  html, body { width: ${viewport.width}px; height: ${viewport.height}px; overflow: hidden; }
  body { font-family: "${spec.font}", sans-serif; font-size: ${spec.fontSize}px; display: flex; flex-direction: column;
    background: ${palette.chrome.fill}; -webkit-font-smoothing: antialiased; }
  .status { display: flex; justify-content: space-between; align-items: center; height: ${spec.android ? 26 : 44}px;
    padding: 0 ${spec.android ? 14 : 28}px; font-size: ${spec.android ? 13 : 15}px; font-weight: 600; background: ${palette.chrome.fill}; }
  .status .icons { display: flex; align-items: flex-end; }
  .header { display: flex; align-items: center; gap: 10px; padding: 8px 12px; background: ${palette.chrome.fill};
    color: ${palette.chrome.text}; border-bottom: 1px solid ${palette.chrome.border}; }
  .header.centered { flex-direction: column; gap: 2px; position: relative; padding: 4px 12px 8px; }
  .header.centered .back { position: absolute; left: 12px; top: 10px; }
  .header.centered .who { display: flex; flex-direction: column; align-items: center; gap: 3px; }
  .header.centered .name { font-size: 12px; }
  .header .back { font-size: 28px; line-height: 1; color: ${spec.android ? palette.chrome.text : "#0a84ff"}; }
  .header .name { font-weight: 600; font-size: 16.5px; }
  .header .subtitle { font-size: 12.5px; color: ${palette.chrome.muted}; }
  .header .actions { margin-left: auto; display: flex; gap: 18px; }
  .icon { display: inline-block; width: 20px; height: 14px; border: 2px solid currentColor; border-radius: 4px; }
  .icon.phone { width: 14px; height: 18px; border-radius: 8px 2px 8px 2px; }
  .avatar { display: inline-flex; align-items: center; justify-content: center; border-radius: 50%; color: #fff;
    font-weight: 700; flex: none; }
  .avatar-space { display: inline-block; width: 28px; flex: none; }
  .chat { flex: 1; overflow: hidden; display: flex; flex-direction: column; justify-content: flex-end; gap: 3px;
    padding: 8px ${spec.avatarBeside ? 8 : 12}px 10px; background: ${palette.wallpaper}; }
  .row { display: flex; align-items: flex-end; gap: 6px; }
  .row.me { justify-content: flex-end; }
  .row.run-end { margin-bottom: 7px; }
  .row.reacted-space { margin-bottom: 16px; }
  .bubble { position: relative; max-width: 76%; padding: 7px 11px; border-radius: ${spec.radius}px; line-height: 1.3;
    overflow-wrap: anywhere; }
  .bubble.emoji { font-size: ${Math.round(spec.fontSize * 2.2)}px; padding: 0 4px; }
  .bubble.tail.me { border-bottom-right-radius: 4px; }
  .bubble.tail.them { border-bottom-left-radius: 4px; }
  .bubble.reacted { margin-bottom: 14px; }
  .sender { font-weight: 600; font-size: 0.85em; margin-bottom: 2px; }
  .meta { float: right; font-size: 11px; margin: 8px -3px -4px 10px; white-space: nowrap; }
  .reaction { position: absolute; bottom: -16px; ${"right"}: 8px; font-size: 12px; padding: 1px 6px; border-radius: 10px;
    background: ${palette.them.fill}; color: ${palette.them.text}; border: 2px solid ${theme === "dark" ? "#000" : "#fff"}; }
  .row.me .reaction { right: auto; left: 8px; }
  .separator { text-align: center; margin: 8px 0; font-size: ${pill ? 12.5 : 12}px; ${pill ? "" : "font-weight: 600;"} }
  .separator span { display: inline-block; padding: ${pill ? "4px 10px" : "0"}; border-radius: 8px; }
  .notice { text-align: center; margin: 6px 14px 10px; font-size: 12px; }
  .notice span { display: inline-block; padding: 6px 10px; border-radius: 8px; background: ${theme === "dark" ? "#1e2a30" : "#fdf4c5"};
    color: ${theme === "dark" ? "#ffd279" : "#54656f"}; }
  .below { text-align: right; font-size: 11.5px; color: ${palette.chrome.muted}; margin: -4px 4px 4px; }
  .typing { display: flex; gap: 4px; padding: 12px 14px; }
  .typing i { width: 8px; height: 8px; border-radius: 50%; background: ${palette.them.meta}; }
  .composer { display: flex; align-items: center; gap: 10px; padding: 8px 10px ${spec.android ? 10 : 26}px; background: ${palette.chrome.fill};
    color: ${palette.chrome.muted}; border-top: 1px solid ${palette.chrome.border}; }
  .composer .plus { font-size: 26px; line-height: 1; }
  .composer .field { flex: 1; border: 1px solid ${palette.chrome.border}; border-radius: 18px; padding: 7px 12px; min-height: 36px;
    background: ${theme === "dark" ? "#222" : "#fff"}; color: ${palette.chrome.muted}; }
  .icon.mic { width: 12px; height: 18px; border-radius: 6px; }
  </style></head><body>
  ${statusBar(spec.android, palette, clock)}
  ${header(style, palette, conversation)}
  <div class="chat" id="chat">${rows.join("\n")}</div>
  ${composer}
  </body></html>`;
}
