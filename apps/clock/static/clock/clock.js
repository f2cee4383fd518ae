// Keeps the server-rendered Moscow time ticking. The page is right without
// this script; it only advances the clock from the server's instant, so a
// wrong clock on the visitor's machine does not show a wrong time.
"use strict";

(function () {
  const clock = document.getElementById("clock");
  const date = document.getElementById("date");
  if (!clock || !date) {
    return;
  }
  const serverInstant = Date.parse(clock.getAttribute("datetime"));
  if (Number.isNaN(serverInstant)) {
    return;
  }
  const skew = serverInstant - Date.now();
  const timeZone = clock.dataset.timeZone;
  const timeFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  const dateFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric",
  });

  function render() {
    const now = new Date(Date.now() + skew);
    clock.textContent = timeFormat.format(now);
    clock.setAttribute("datetime", now.toISOString());
    // en-GB writes "Friday 27 November 2026"; the server writes "Friday, 27 November 2026".
    date.textContent = dateFormat.format(now).replace(/^(\w+) /, "$1, ");
  }

  function tick() {
    render();
    // Wake just after the next whole second, so the seconds never skip.
    setTimeout(tick, 1000 - ((Date.now() + skew) % 1000) + 5);
  }
  tick();
})();
