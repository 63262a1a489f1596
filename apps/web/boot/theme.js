/* global window, document */
// Applies the theme the person chose (system, light or dark; src/shell/theme.tsx) before the first
// paint, so a dark page never flashes light. A plain file, not inline: the page's CSP allows only
// scripts from the site itself. The build names it after its content (vite.config.ts), so browsers
// cache it for a year like the rest of assets/.
(function () {
  var choice = "system";
  try {
    choice = localStorage.getItem("lockstep-theme") || "system";
  } catch {
    // Storage refused (privacy mode): follow the system.
  }
  var dark = choice === "dark" || (choice !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
})();
