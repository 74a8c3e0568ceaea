// Experiment: one rule added to the page's style sheet for the soak, in place of RULE, e.g.
//   FIGURES_SOAK_SCRIPT="$(sed 's/RULE/.chat-rows { visibility: hidden }/' style_rule.js)"
// Through the CSS object model, which the window's content security policy leaves open to its
// own script (a `<style>` element would be refused).
const sheet = document.styleSheets[document.styleSheets.length - 1];
sheet.insertRule("RULE", sheet.cssRules.length);
window.__soak = { rule: sheet.cssRules[sheet.cssRules.length - 1].cssText };
return true;
