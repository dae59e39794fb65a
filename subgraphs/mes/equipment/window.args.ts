import { ArgsType, Field } from 'type-graphql';
import { MAX_WINDOW_DAYS } from './time-window';

/** The time window of machine history fields (rules in time-window.ts). */
@ArgsType()
export class WindowArgs {
  @Field(() => Date, { nullable: true, description: 'Window start; 24 h before `to` when omitted.' })
  from?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: `Window end (exclusive), capped at now; now when omitted. At most ${MAX_WINDOW_DAYS} days after \`from\`.`,
  })
  to?: Date | null;
}
