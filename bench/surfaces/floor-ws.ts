import { surface as graphqlWs } from './graphql-ws.js';
import type { Surface } from './surface.js';

/** The graphql-ws client, pointed at the floor's WebSocket server (bench/floor/floor-server.ts). */
export const surface: Surface = {
  connect(target, options) {
    if (target.floorHttpUrl === undefined) throw new Error('the floor is not running');
    return graphqlWs.connect({ ...target, httpUrl: target.floorHttpUrl }, options);
  },
};
