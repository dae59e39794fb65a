import { Ctx, Field, ID, ObjectType, Query, Resolver, Directive } from 'type-graphql';
import type { MesContext } from '../context';
import { AUTHENTICATED } from '../../common/scopes';

@ObjectType({
  description:
    'The newest event id of each stream. Read it in the same query as the state you display, then subscribe with ' +
    '`after` set to it: you miss nothing that happened after that state, and get nothing twice.',
})
export class EventStreamPosition {
  @Field(() => ID, { description: 'For machineStatusChanged.' }) machineStatus!: string;
  @Field(() => ID, { description: 'For productionEvents.' }) production!: string;
}

@Resolver(() => EventStreamPosition)
export class EventStreamPositionResolver {
  @Directive(AUTHENTICATED)
  @Query(() => EventStreamPosition)
  async eventStreamPosition(@Ctx() ctx: MesContext): Promise<EventStreamPosition> {
    const [machineStatus, production] = await Promise.all([ctx.events.head('machine-status'), ctx.events.head('production')]);
    return Object.assign(new EventStreamPosition(), { machineStatus, production });
  }
}
