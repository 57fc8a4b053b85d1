// A "Print" button without an inline handler (the content security policy allows no inline script).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
