import { type MessageKey, t } from '../../common/i18n';

// paas_app.state → its label key (literal keys, so the catalogue check sees them)
const STATE_KEYS: Record<number, MessageKey> = {
  0: 'state.0',
  1: 'state.1',
  3: 'state.3',
  4: 'state.4',
  8: 'state.8',
  9: 'state.9',
  10: 'state.10',
};

/** An app state's name in the current language (the number itself for an unknown state). */
export function stateLabel(state: number): string {
  const k = STATE_KEYS[state];
  return k ? t(k) : String(state);
}
