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

// htmx answers that are ours to show even with an error status (an import report with problems
// is a 422; a refused upload re-renders its page): the swap target or the requesting element is
// marked data-swap-fragments (answers carrying X-Fragment) or data-swap-errors (any 4xx/5xx).
// These were inline hx-on handlers; the Content-Security-Policy allows no inline script, and
// htmx runs with allowEval off.
document.addEventListener('htmx:beforeSwap', function (event) {
  var detail = event.detail;
  var elt = detail.requestConfig && detail.requestConfig.elt;
  var marked = function (name) {
    return [event.target, elt].some(function (node) {
      return node && node.hasAttribute && node.hasAttribute(name);
    });
  };
  if ((marked('data-swap-fragments') && detail.xhr.getResponseHeader('X-Fragment')) ||
      (marked('data-swap-errors') && detail.xhr.status >= 400)) {
    detail.shouldSwap = true;
    detail.isError = false;
  }
});

// A form marked data-error-into says in that box that its request failed outright (an answer
// that is not one of our fragments), as text: "<data-error-text>（status），请刷新页面后重试。"
document.addEventListener('htmx:responseError', function (event) {
  var elt = event.detail.elt;
  var form = elt && elt.closest && elt.closest('[data-error-into]');
  var box = form && document.querySelector(form.dataset.errorInto);
  if (!box) {
    return;
  }
  var message = document.createElement('p');
  message.className = 'alert';
  message.setAttribute('role', 'alert');
  message.textContent = (form.dataset.errorText || '操作失败') + '（' + event.detail.xhr.status + '），请刷新页面后重试。';
  box.replaceChildren(message);
});

// On a phone a table marked cards-on-phone shows each row as a card, each cell under its
// column's header (app.css). The label is taken from the header here, once, so that a template
// need not repeat it in every cell; a cell that brings its own data-label keeps it.
function labelCardCells(root) {
  root.querySelectorAll('table.cards-on-phone').forEach(function (table) {
    var header = table.tHead && table.tHead.rows[0];
    if (!header) {
      return;
    }
    var labels = [];
    Array.prototype.forEach.call(header.cells, function (th) {
      for (var span = 0; span < th.colSpan; span++) {
        labels.push(th.textContent.trim());
      }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute('data-label') && labels[column] !== undefined) {
            cell.setAttribute('data-label', labels[column]);
          }
          column += cell.colSpan;
        });
      });
    });
  });
}
document.addEventListener('DOMContentLoaded', function () {
  labelCardCells(document);
});
document.addEventListener('htmx:afterSwap', function (event) {
  labelCardCells(event.target);
});

// A checkbox marked data-select-all="name" ticks or clears every enabled checkbox of that name
// in its form (the dues sheet's 全选), including boxes in table rows that join the form with a
// form="" attribute (an activity's attendees). Without JavaScript it stays hidden: the form's own
// "all" button does the same on the server, or the boxes are ticked one by one.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('input[data-select-all]').forEach(function (all) {
    var boxes = function () {
      return Array.prototype.filter.call(all.form.elements, function (box) {
        return box.type === 'checkbox' && box.name === all.dataset.selectAll && !box.disabled;
      });
    };
    var holder = all.closest('[hidden]');
    if (holder) {
      holder.hidden = false;
    }
    all.addEventListener('change', function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    document.addEventListener('change', function (event) {
      if (event.target !== all && event.target.form === all.form &&
          event.target.name === all.dataset.selectAll) {
        var list = boxes();
        all.checked = list.length > 0 && list.every(function (box) { return box.checked; });
      }
    });
  });
});
