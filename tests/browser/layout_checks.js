() => {
  const vw = document.documentElement.clientWidth;
  const out = {wide: [], narrow: [], small: []};
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.className && typeof el.className === 'string') s += '.' + el.className.trim().split(/\s+/).join('.');
    const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return s + (text ? ' "' + text + '"' : '');
  };
  const visible = (el) => {
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const clipped = (el) => {  // inside a scroller or clipped box (the visually-hidden pattern)
    for (let a = el.parentElement; a; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(st.overflowX) && a !== document.body && a !== document.documentElement) return true;
    }
    return false;
  };
  const offscreen = (el) => {  // the skip link, captions moved out of sight
    for (let a = el; a; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (st.position === 'absolute' && parseFloat(st.left) < -1000) return true;
      if (st.clip && st.clip !== 'auto') return true;
      if (a.classList && a.classList.contains('visually-hidden')) return true;
    }
    return false;
  };
  const closedDetails = (el) => { const d = el.closest('details'); return d && !d.open && !el.closest('summary'); };
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el) || offscreen(el) || closedDetails(el)) continue;
    const r = el.getBoundingClientRect();
    if ((r.right > vw + 1 || r.left < -1) && !clipped(el)) out.wide.push(describe(el) + ` [${Math.round(r.left)}..${Math.round(r.right)}]`);
    // a text box: an element with text of its own
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (own.length) {
      const em = parseFloat(getComputedStyle(el).fontSize);
      let lines = new Set();
      for (const n of own) { const range = document.createRange(); range.selectNodeContents(n); for (const b of range.getClientRects()) if (b.width > 0) lines.add(Math.round(b.top)); }
      if (r.width < 6 * em && lines.size > 1) out.narrow.push(describe(el) + ` [${Math.round(r.width)}px, ${lines.size} lines]`);
    }
  }
  for (const el of document.body.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!visible(el) || offscreen(el) || closedDetails(el)) continue;
    const parent = el.parentElement;
    // WCAG 2.5.5's inline exception: a link inside a sentence of running text
    const rest = parent ? parent.innerText.replace(el.innerText, '').replace(/[\s、，。；：·|（）()]/g, '') : '';
    if (getComputedStyle(el).display === 'inline' && rest.length >= 4 && el.closest('p, li, td, dd, figcaption')) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 44 || r.width < 44) out.small.push(describe(el) + ` [${Math.round(r.width)}x${Math.round(r.height)}]`);
  }
  return out;
}
