import { Field, Float, Int, ObjectType } from 'type-graphql';

/** Shaped like OeeResult (oee.ts), which documents every rule and the null cases. */
@ObjectType({ description: 'Overall Equipment Effectiveness over a window. Durations are in seconds.' })
export class Oee {
  @Field(() => Date) from!: Date;
  @Field(() => Date, { description: 'The window end, capped at now.' }) to!: Date;
  @Field(() => Float) windowTime!: number;
  @Field(() => Float, { description: 'Time in planned losses (breaks, no orders, planned maintenance).' })
  plannedLossTime!: number;
  @Field(() => Float, { description: 'Window minus planned losses: planned production time.' }) plannedTime!: number;
  @Field(() => Float, { description: 'RUNNING time inside the window.' }) runTime!: number;
  @Field(() => Float, { description: 'Planned time not running: the availability loss.' }) stopTime!: number;
  @Field(() => Float, { description: 'Seconds per unit at rated speed.' }) idealCycleTime!: number;
  @Field(() => Int) totalCount!: number;
  @Field(() => Int) goodCount!: number;
  @Field(() => Int) scrapCount!: number;
  @Field(() => Float, { nullable: true, description: 'Run time / planned time; null when nothing was planned.' })
  availability!: number | null;
  @Field(() => Float, { nullable: true, description: 'Ideal cycle time × total count / run time, capped at 1; null without run time.' })
  performance!: number | null;
  @Field(() => Float, { nullable: true, description: 'Good / total count; null when nothing was counted.' })
  quality!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Availability × performance × quality; 0 when the machine never ran or made nothing, null when nothing was planned.',
  })
  oee!: number | null;
}
