// The messaging-app looks the screenshot corpus is drawn in: colours, shapes, where times and
// receipts go, what the header, separators and composer say, light and dark.

export type AppStyle =
  | "imessage"
  | "whatsapp-android"
  | "whatsapp-ios"
  | "telegram"
  | "instagram"
  | "messenger"
  | "signal"
  | "google-messages"
  | "dating";

export interface Palette {
  /** CSS background of the conversation area (colour, gradient or pattern). */
  wallpaper: string;
  me: { fill: string; text: string; meta: string };
  them: { fill: string; text: string; meta: string };
  chrome: { fill: string; text: string; muted: string; border: string };
  separator: { fill: string; text: string };
  link: string;
  sender: string[];
}

export interface StyleSpec {
  font: string;
  fontSize: number;
  radius: number;
  /** Tail on the last bubble of a run. */
  tail: boolean;
  /** Time (and ticks) inside the bubble, bottom right, as WhatsApp, Telegram, Signal do. */
  timeInBubble: boolean;
  /** Receipt marks after the time in my bubbles. */
  ticks: "double" | "single" | "none";
  /** A line of small text under my last bubble ("Delivered", "Seen"), as iMessage, Instagram do. */
  statusBelow: string | null;
  /** Small round avatar beside the contact's bubbles. */
  avatarBeside: boolean;
  /** iMessage puts the avatar above the name in the middle. */
  headerCentered: boolean;
  subtitle: string[];
  separators: string[];
  separatorPill: boolean;
  composer: string;
  notice: string | null;
  /** Group conversations with sender names in the contact's bubbles. */
  groups: boolean;
  android: boolean;
  light: Palette;
  dark: Palette;
}

const SENDERS_LIGHT = ["#1f7a4d", "#a0428d", "#c2561a", "#2a6fb0"];
const SENDERS_DARK = ["#53bdeb", "#ff8fb1", "#f3b65a", "#7fdc9a"];

/** A doodle wallpaper (as Telegram and WhatsApp draw theirs): faint shapes over a gradient. */
function doodles(colour: string, opacity: number): string {
  const shapes = [
    `<circle cx="20" cy="22" r="9" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
    `<path d="M70 12 l6 12 13 2 -9 9 2 13 -12 -6 -12 6 2 -13 -9 -9 13 -2z" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
    `<path d="M30 80 c-10 -12 -22 0 -10 12 l10 10 10 -10 c12 -12 0 -24 -10 -12z" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
    `<rect x="80" y="70" width="26" height="18" rx="4" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
    `<path d="M10 120 q15 -18 30 0 t30 0" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
    `<circle cx="105" cy="125" r="4" fill="${colour}"/>`,
  ].join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="130" height="140" opacity="${opacity}">${shapes}</svg>`;
  return `url("data:image/svg+xml;utf8,${encodeURIComponent(svg)}")`;
}

export const STYLES: Record<AppStyle, StyleSpec> = {
  imessage: {
    font: "Liberation Sans",
    fontSize: 17,
    radius: 18,
    tail: true,
    timeInBubble: false,
    ticks: "none",
    statusBelow: "Delivered",
    avatarBeside: false,
    headerCentered: true,
    subtitle: [],
    separators: ["iMessage\nToday 9:41 AM", "Yesterday 8:15 PM", "Today 11:02 AM", "Sat, Mar 14 at 7:30 PM"],
    separatorPill: false,
    composer: "iMessage",
    notice: null,
    groups: false,
    android: false,
    light: {
      wallpaper: "#ffffff",
      me: { fill: "#0b84fe", text: "#ffffff", meta: "#dbeaff" },
      them: { fill: "#e9e9eb", text: "#000000", meta: "#8e8e93" },
      chrome: { fill: "#f6f6f6", text: "#000000", muted: "#8e8e93", border: "#d8d8d8" },
      separator: { fill: "transparent", text: "#8e8e93" },
      link: "#0b84fe",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: "#000000",
      me: { fill: "#0a84ff", text: "#ffffff", meta: "#cfe3ff" },
      them: { fill: "#262629", text: "#ffffff", meta: "#8e8e93" },
      chrome: { fill: "#161616", text: "#ffffff", muted: "#8e8e93", border: "#2c2c2e" },
      separator: { fill: "transparent", text: "#8e8e93" },
      link: "#5eb1ff",
      sender: SENDERS_DARK,
    },
  },
  "whatsapp-android": {
    font: "DejaVu Sans",
    fontSize: 15.5,
    radius: 8,
    tail: true,
    timeInBubble: true,
    ticks: "double",
    statusBelow: null,
    avatarBeside: false,
    headerCentered: false,
    subtitle: ["last seen today at 10:12", "online", "typing…", "last seen yesterday at 23:40"],
    separators: ["TODAY", "YESTERDAY", "12 MARCH 2026"],
    separatorPill: true,
    composer: "Message",
    notice:
      "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
    groups: true,
    android: true,
    light: {
      wallpaper: `${doodles("#b9ad9c", 0.55)}, #efe7de`,
      me: { fill: "#d9fdd3", text: "#111b21", meta: "#667781" },
      them: { fill: "#ffffff", text: "#111b21", meta: "#667781" },
      chrome: { fill: "#008069", text: "#ffffff", muted: "#d9f2ec", border: "#008069" },
      separator: { fill: "#ffffff", text: "#54656f" },
      link: "#027eb5",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: `${doodles("#2a3338", 0.9)}, #0b141a`,
      me: { fill: "#005c4b", text: "#e9edef", meta: "#a6c7bf" },
      them: { fill: "#202c33", text: "#e9edef", meta: "#8696a0" },
      chrome: { fill: "#1f2c34", text: "#e9edef", muted: "#8696a0", border: "#1f2c34" },
      separator: { fill: "#182229", text: "#8696a0" },
      link: "#53bdeb",
      sender: SENDERS_DARK,
    },
  },
  "whatsapp-ios": {
    font: "Liberation Sans",
    fontSize: 16.5,
    radius: 9,
    tail: true,
    timeInBubble: true,
    ticks: "double",
    statusBelow: null,
    avatarBeside: false,
    headerCentered: false,
    subtitle: ["last seen today at 10:12", "online", "tap here for contact info"],
    separators: ["Today", "Yesterday", "Mon, 9 Mar"],
    separatorPill: true,
    composer: "",
    notice:
      "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
    groups: true,
    android: false,
    light: {
      wallpaper: `${doodles("#c9bfae", 0.5)}, #efeae2`,
      me: { fill: "#e2ffc7", text: "#000000", meta: "#6b7c66" },
      them: { fill: "#ffffff", text: "#000000", meta: "#8a8a8a" },
      chrome: { fill: "#f6f6f6", text: "#000000", muted: "#8a8a8a", border: "#dcdcdc" },
      separator: { fill: "#e3eef7", text: "#54656f" },
      link: "#027eb5",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: `${doodles("#1c2226", 1)}, #0b0b0b`,
      me: { fill: "#144d37", text: "#ffffff", meta: "#9ab8aa" },
      them: { fill: "#262628", text: "#ffffff", meta: "#8e8e93" },
      chrome: { fill: "#1c1c1d", text: "#ffffff", muted: "#8e8e93", border: "#2c2c2e" },
      separator: { fill: "#1d1d1f", text: "#8e8e93" },
      link: "#53bdeb",
      sender: SENDERS_DARK,
    },
  },
  telegram: {
    font: "DejaVu Sans",
    fontSize: 15.5,
    radius: 14,
    tail: true,
    timeInBubble: true,
    ticks: "double",
    statusBelow: null,
    avatarBeside: true,
    headerCentered: false,
    subtitle: ["last seen recently", "online", "last seen 5 minutes ago", "12 members, 3 online"],
    separators: ["Today", "March 12", "Yesterday"],
    separatorPill: true,
    composer: "Message",
    notice: null,
    groups: true,
    android: true,
    light: {
      wallpaper: `${doodles("#3d6b3a", 0.18)}, linear-gradient(160deg, #d3e8a5 0%, #8fcf9b 35%, #7ec3c9 70%, #b8d98f 100%)`,
      me: { fill: "#effdde", text: "#000000", meta: "#4fae4e" },
      them: { fill: "#ffffff", text: "#000000", meta: "#a1aab3" },
      chrome: { fill: "#517da2", text: "#ffffff", muted: "#d6e4f0", border: "#517da2" },
      separator: { fill: "rgba(40,80,40,0.35)", text: "#ffffff" },
      link: "#168acd",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: `${doodles("#ffffff", 0.07)}, linear-gradient(200deg, #1e3a4f 0%, #3b2a52 45%, #16313a 100%)`,
      me: { fill: "#2b5278", text: "#ffffff", meta: "#7da8d3" },
      them: { fill: "#182533", text: "#f5f5f5", meta: "#6d7f8f" },
      chrome: { fill: "#17212b", text: "#ffffff", muted: "#708499", border: "#101921" },
      separator: { fill: "rgba(0,0,0,0.35)", text: "#ffffff" },
      link: "#71baf2",
      sender: SENDERS_DARK,
    },
  },
  instagram: {
    font: "Liberation Sans",
    fontSize: 15.5,
    radius: 22,
    tail: false,
    timeInBubble: false,
    ticks: "none",
    statusBelow: "Seen",
    avatarBeside: true,
    headerCentered: false,
    subtitle: ["Active now", "Active 5m ago", "maya.lane"],
    separators: ["TODAY 9:41 AM", "YESTERDAY 8:02 PM", "MAR 12, 7:30 PM"],
    separatorPill: false,
    composer: "Message...",
    notice: null,
    groups: false,
    android: false,
    light: {
      wallpaper: "#ffffff",
      me: { fill: "#3797f0", text: "#ffffff", meta: "#dbeaff" },
      them: { fill: "#efefef", text: "#000000", meta: "#8e8e8e" },
      chrome: { fill: "#ffffff", text: "#000000", muted: "#737373", border: "#efefef" },
      separator: { fill: "transparent", text: "#8e8e8e" },
      link: "#00376b",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: "#000000",
      me: { fill: "#7a3cf0", text: "#ffffff", meta: "#e0d4ff" },
      them: { fill: "#262626", text: "#f5f5f5", meta: "#a8a8a8" },
      chrome: { fill: "#000000", text: "#f5f5f5", muted: "#a8a8a8", border: "#262626" },
      separator: { fill: "transparent", text: "#a8a8a8" },
      link: "#e0f1ff",
      sender: SENDERS_DARK,
    },
  },
  messenger: {
    font: "DejaVu Sans",
    fontSize: 15,
    radius: 18,
    tail: false,
    timeInBubble: false,
    ticks: "none",
    statusBelow: null,
    avatarBeside: true,
    headerCentered: false,
    subtitle: ["Active now", "Active 12m ago", "Messenger"],
    separators: ["9:41 AM", "YESTERDAY AT 8:02 PM", "MON 7:30 PM"],
    separatorPill: false,
    composer: "Aa",
    notice: null,
    groups: true,
    android: true,
    light: {
      wallpaper: "#ffffff",
      me: { fill: "#0866ff", text: "#ffffff", meta: "#d6e6ff" },
      them: { fill: "#f0f0f0", text: "#050505", meta: "#65676b" },
      chrome: { fill: "#ffffff", text: "#050505", muted: "#65676b", border: "#e4e6eb" },
      separator: { fill: "transparent", text: "#65676b" },
      link: "#0866ff",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: "#000000",
      me: { fill: "#a033ff", text: "#ffffff", meta: "#ecd6ff" },
      them: { fill: "#303030", text: "#e4e6eb", meta: "#b0b3b8" },
      chrome: { fill: "#000000", text: "#e4e6eb", muted: "#b0b3b8", border: "#303030" },
      separator: { fill: "transparent", text: "#b0b3b8" },
      link: "#d9b8ff",
      sender: SENDERS_DARK,
    },
  },
  signal: {
    font: "Liberation Sans",
    fontSize: 16,
    radius: 18,
    tail: false,
    timeInBubble: true,
    ticks: "double",
    statusBelow: null,
    avatarBeside: false,
    headerCentered: false,
    subtitle: ["Disappearing messages off", "Verified", ""],
    separators: ["Today", "Yesterday", "Thu, Mar 12"],
    separatorPill: false,
    composer: "Signal message",
    notice: "You accepted the message request",
    groups: true,
    android: true,
    light: {
      wallpaper: "#ffffff",
      me: { fill: "#2c6bed", text: "#ffffff", meta: "#cfdcfb" },
      them: { fill: "#e9e9e9", text: "#1b1b1b", meta: "#5e5e5e" },
      chrome: { fill: "#ffffff", text: "#1b1b1b", muted: "#5e5e5e", border: "#e9e9e9" },
      separator: { fill: "transparent", text: "#5e5e5e" },
      link: "#2c6bed",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: "#121212",
      me: { fill: "#2c6bed", text: "#ffffff", meta: "#cfdcfb" },
      them: { fill: "#3b3b3b", text: "#e9e9e9", meta: "#b9b9b9" },
      chrome: { fill: "#121212", text: "#e9e9e9", muted: "#b9b9b9", border: "#2a2a2a" },
      separator: { fill: "transparent", text: "#b9b9b9" },
      link: "#8fb1ff",
      sender: SENDERS_DARK,
    },
  },
  "google-messages": {
    font: "DejaVu Sans",
    fontSize: 15.5,
    radius: 20,
    tail: false,
    timeInBubble: false,
    ticks: "none",
    statusBelow: "Read · 9:48 AM",
    avatarBeside: true,
    headerCentered: false,
    subtitle: ["RCS message", "Mobile · (555) 201-7788", ""],
    separators: ["Today · 9:41 AM", "Yesterday · 8:02 PM", "Thursday · 7:30 PM"],
    separatorPill: false,
    composer: "RCS message",
    notice: "Chatting with Maya Lane via RCS",
    groups: false,
    android: true,
    light: {
      wallpaper: "#ffffff",
      me: { fill: "#d3e3fd", text: "#041e49", meta: "#44474e" },
      them: { fill: "#f1f3f4", text: "#1f1f1f", meta: "#5f6368" },
      chrome: { fill: "#ffffff", text: "#1f1f1f", muted: "#5f6368", border: "#ffffff" },
      separator: { fill: "transparent", text: "#5f6368" },
      link: "#0b57d0",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: "#131314",
      me: { fill: "#0842a0", text: "#d3e3fd", meta: "#a8c7fa" },
      them: { fill: "#2f3033", text: "#e3e3e3", meta: "#a8abb0" },
      chrome: { fill: "#131314", text: "#e3e3e3", muted: "#a8abb0", border: "#131314" },
      separator: { fill: "transparent", text: "#a8abb0" },
      link: "#a8c7fa",
      sender: SENDERS_DARK,
    },
  },
  dating: {
    font: "Liberation Sans",
    fontSize: 16,
    radius: 20,
    tail: false,
    timeInBubble: false,
    ticks: "none",
    statusBelow: "Sent",
    avatarBeside: true,
    headerCentered: true,
    subtitle: ["You matched on 3/12/26", "Active today"],
    separators: ["TODAY 9:41 AM", "YESTERDAY 10:15 PM"],
    separatorPill: false,
    composer: "Type a message",
    notice: "You matched with Maya on 3/12/26",
    groups: false,
    android: false,
    light: {
      wallpaper: "#ffffff",
      me: { fill: "#fe3c72", text: "#ffffff", meta: "#ffe0ea" },
      them: { fill: "#f0f2f4", text: "#21262e", meta: "#7c8591" },
      chrome: { fill: "#ffffff", text: "#21262e", muted: "#7c8591", border: "#e9ebee" },
      separator: { fill: "transparent", text: "#7c8591" },
      link: "#106bd5",
      sender: SENDERS_LIGHT,
    },
    dark: {
      wallpaper: "#111418",
      me: { fill: "#fd267a", text: "#ffffff", meta: "#ffd6e4" },
      them: { fill: "#2a2f36", text: "#e8eaed", meta: "#9aa1ab" },
      chrome: { fill: "#111418", text: "#e8eaed", muted: "#9aa1ab", border: "#22262c" },
      separator: { fill: "transparent", text: "#9aa1ab" },
      link: "#7fb6ff",
      sender: SENDERS_DARK,
    },
  },
};
