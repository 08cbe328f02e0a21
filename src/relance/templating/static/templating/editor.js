// Relance: the template editor. Rich bodies (emails, letters) get a Jodit editor; the
// hashtag picker of each language inserts "#name" where the user last was in that language:
// the subject, the plain body, or the rich editor's cursor.
(function () {
  "use strict";
  const language = document.documentElement.lang || "en";
  // Jodit names some of its bundled languages its own way; Romanian and Croatian it does not
  // ship, and shows in English.
  const JODIT_LANGUAGES = { pt: "pt_br", "pt-br": "pt_br", "zh-hans": "zh_cn" };
  const editors = {}; // language code -> Jodit instance
  const lastField = {}; // language code -> last focused <input>/<textarea>, null for Jodit

  document.querySelectorAll("textarea.rich-editor").forEach((textarea) => {
    const code = textarea.dataset.lang;
    const editor = Jodit.make(textarea, {
      language: JODIT_LANGUAGES[language] || language,
      height: 340,
      toolbarAdaptive: false,
      toolbarSticky: false,
      buttons: [
        "bold", "italic", "underline", "strikethrough", "|", "brush", "|",
        "ul", "ol", "|", "link", "table", "|", "left", "center", "right", "|",
        "undo", "redo", "|", "source",
      ],
      // The built-in source view would load Ace and js-beautify from a CDN: keep it local.
      sourceEditor: "area",
      beautifyHTML: false,
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      defaultActionOnPaste: "insert_clear_html",
      showCharsCounter: false,
      showWordsCounter: false,
      showXPathInStatusbar: false,
      disablePlugins: ["about", "ai-assistant", "file", "image", "video", "media", "iframe",
                       "powered-by-jodit", "speech-recognize", "print", "preview"],
    });
    editors[code] = editor;
    editor.events.on("focus", () => { lastField[code] = null; });
  });

  // Jodit copies its text into the <textarea> after a short delay: a form sent right after
  // the last keystroke would leave it out, so every editor copies it now (capture: before
  // htmx or the browser reads the form).
  document.addEventListener("submit", () => {
    Object.values(editors).forEach((editor) => { editor.element.value = editor.value; });
  }, true);

  document.querySelectorAll("[data-hashtag-target], textarea.plain-editor").forEach((field) => {
    const code = field.dataset.hashtagTarget || field.dataset.lang;
    field.addEventListener("focus", () => { lastField[code] = field; });
  });

  function insertIntoField(field, text) {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? field.value.length;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.selectionStart = field.selectionEnd = start + text.length;
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-hashtag]");
    if (!button) return;
    event.preventDefault();
    const code = button.closest("[data-picker-for]").dataset.pickerFor;
    const text = "#" + button.dataset.hashtag + " ";
    const field = lastField[code];
    if (field) {
      insertIntoField(field, text);
    } else if (editors[code]) {
      editors[code].s.insertHTML(text);
      editors[code].synchronizeValues();
    } else {
      insertIntoField(document.querySelector(`textarea[data-lang="${code}"]`), text);
    }
  });
})();
