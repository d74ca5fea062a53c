import 'uplot/dist/uPlot.min.css';
import './app.css';
import { adoptKeyFromFragment, ApiError, storedKey, storeKey } from './api';
import { h, mount } from './dom';
import { renderPartner } from './partner';
import { renderPortfolio } from './portfolio';

/** The dashboard: hash routes `#/` (portfolio) and `#/partner/<id>[/<area>]` (one partner). */

const root = document.getElementById('app')!;

function go(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

async function route(): Promise<void> {
  const m = /^#\/partner\/([^/]+)(?:\/([^/]+))?$/.exec(location.hash);
  root.setAttribute('aria-busy', 'true');
  try {
    if (m) {
      const id = decodeURIComponent(m[1]!);
      document.title = `${id} · Partner Capability Score`;
      await renderPartner(root, id, m[2]);
    } else {
      document.title = 'Partners · Partner Capability Score';
      await renderPortfolio(root, go);
    }
    root.querySelector('h1')?.setAttribute('tabindex', '-1');
  } catch (e) {
    showError(e);
  } finally {
    root.removeAttribute('aria-busy');
  }
}

/** What went wrong and what to do about it; a missing or wrong key asks for the key. */
function showError(e: unknown): void {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
    const input = h('input', { type: 'password', id: 'key', autocomplete: 'off', required: true });
    mount(
      root,
      h('h1', {}, e.status === 401 ? 'Sign in' : 'Not allowed'),
      h('p', { role: 'alert' }, e.message),
      h(
        'form',
        {
          class: 'key-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            storeKey(input.value.trim());
            void route();
          },
        },
        h('label', { for: 'key' }, 'Function key (printed by npm start as "Function key:")'),
        input,
        h('button', { type: 'submit' }, 'Use this key'),
        storedKey() ? h('button', { type: 'button', onclick: () => (storeKey(undefined), void route()) }, 'Forget the key') : null,
      ),
      h('p', { class: 'hint' }, 'The key stays in this tab only (sessionStorage). In Azure, sign-in happens before the page loads and no key is needed; locally LOCAL_PRINCIPAL signs you in without one.'),
    );
    input.focus();
    return;
  }
  const unreachable = e instanceof ApiError && e.status === 0;
  mount(
    root,
    h('h1', {}, unreachable ? 'The app does not answer' : 'Something went wrong'),
    h('div', { class: 'error', role: 'alert' }, h('p', {}, (e as Error).message), h('p', {}, unreachable ? 'Start it with npm start, then retry.' : 'Retry; if it persists, the host log (npm start output) says why.')),
    h('button', { type: 'button', onclick: () => void route() }, 'Retry'),
  );
}

adoptKeyFromFragment();
window.addEventListener('hashchange', () => void route());
void route();
