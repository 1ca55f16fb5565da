/** In every engine the runtime supports (Node 17+, current browsers), without the DOM or Node type libraries. */
declare function structuredClone<T>(value: T): T;
