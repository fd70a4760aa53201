// The handler map type: one async function per contract method, given parsed input and the context.
import type { Method, OutputOf, ParsedInputOf } from '../../shared/contract';
import type { CoreContext } from './context';

export type Handler<M extends Method> = (
  input: ParsedInputOf<M>,
  ctx: CoreContext,
) => Promise<OutputOf<M>>;

export type HandlerMap = { [M in Method]: Handler<M> };
