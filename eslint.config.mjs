// ESLint's recommended rules for our own JavaScript: the site's scripts run in the browser
// (lunr.js comes before them in the same bundle), the tests under tests/js run in Node.js.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "sitegen/site/vendor/", "_site/", "_serve/", "tests/golden/",
    "tests/fixtures/", ".venv/", "test-results/", "build/"] },
  js.configs.recommended,
  {
    files: ["sitegen/site/static/**/*.js", "sitegen/site/preview/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { ...globals.browser, lunr: "readonly", PaperIndex: "readonly" },
    },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
