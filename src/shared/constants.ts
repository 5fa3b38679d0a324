/** Values every process agrees on. Pure data: no imports. */
export const APP_NAME = 'Contrastive Workbench';
export const DEFAULT_SERVE_HOST = '127.0.0.1';
export const DEFAULT_SERVE_PORT = 5870;
/** Query parameter (and cookie) carrying the per-launch token in browser mode. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'cwb_token';
/** WebSocket endpoint path of the browser transport. */
export const WS_PATH = '/api';
export const DATABASE_FILE = 'workbench.sqlite';
