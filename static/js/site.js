// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // After a failed submit, move focus to the error summary so that screen readers
  // announce it and keyboard users start there.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // Fields with a limit count their characters instead of cutting pasted text
  // (maxlength cut 358 pasted characters to 300 mid-sentence). The server refuses
  // what is too long with a message at the field; this only says so while typing.
  const de = document.documentElement.lang !== "en";
  const say = (n, limit) => n <= limit
    ? (de ? `${n} von ${limit} Zeichen` : `${n} of ${limit} characters`)
    : (de ? `${n - limit} Zeichen zu viel (höchstens ${limit})` : `${n - limit} characters too many (at most ${limit})`);
  for (const field of document.querySelectorAll("[data-limit]")) {
    const limit = Number(field.dataset.limit);
    const shown = document.createElement("p");
    shown.className = "counter";
    shown.id = `${field.id}-counter`;
    shown.setAttribute("aria-hidden", "true");
    const live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    field.after(shown, live);
    let timer;
    const update = () => {
      const n = [...field.value].length;
      shown.textContent = say(n, limit);
      shown.classList.toggle("over", n > limit);
      // Screen readers hear the count once typing pauses, not at every key.
      clearTimeout(timer);
      timer = setTimeout(() => { live.textContent = say(n, limit); }, 1000);
    };
    field.addEventListener("input", update);
    shown.textContent = say([...field.value].length, limit);
    shown.classList.toggle("over", [...field.value].length > limit);
  }
});
