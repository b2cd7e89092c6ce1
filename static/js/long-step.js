// While a step over every ballot is under way (templates/elections/_long_step.html), fetch this page
// now and then and put the step's new words into its live region, which screen readers announce
// politely. Without JavaScript, reloading the page shows the same.
const region = document.getElementById("long-step");
const every = 10000;

async function watch() {
  let next = every;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (response.ok) {
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("long-step");
      if (!fresh) return;
      if (fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML;
      if (fresh.dataset.underWay !== "true") return;
    } else {
      next = 6 * every;
    }
  } catch {
    next = 6 * every;
  }
  window.setTimeout(watch, next);
}

if (region && region.dataset.underWay === "true") window.setTimeout(watch, every);
