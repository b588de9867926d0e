// Asks before a consequential submit. The question is the form's (or the pressed button's)
// data-confirm attribute, read as text and never evaluated: a member's name in it cannot become
// script, as it could inside an inline onsubmit="return confirm('…')".
document.addEventListener('submit', function (event) {
  var submitter = event.submitter;
  var question = (submitter && submitter.dataset && submitter.dataset.confirm) || event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A button marked data-print prints the page (the ledgers, minutes and handover lists).
document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('[data-print]');
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// A button marked data-fullscreen="#id" shows that element on the whole screen (the check-in
// code on a projector); where the browser refuses, the projection page is already bare.
document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('[data-fullscreen]');
  if (!button) {
    return;
  }
  var target = document.querySelector(button.dataset.fullscreen);
  if (target && target.requestFullscreen) {
    target.requestFullscreen().catch(function () {});
  }
});
