import { Ctx, Field, ID, InputType, Mutation, Resolver, Arg, Directive } from 'type-graphql';
import type { LossCategory, MachineState } from '../backend/mes-backend';
import type { MesContext } from '../context';
import { LossCategoryEnum, MachineStateEnum } from '../enums';
import { changeMachineState } from './change-machine-state';
import { Machine } from './machine.type';
import { Scope, requiresScopes } from '../../common/scopes';

@InputType({ description: 'A state a machine entered, as an operator or a line controller reports it.' })
export class RecordMachineStateInput {
  @Field(() => ID) machineId!: string;
  @Field(() => MachineStateEnum) state!: MachineState;
  @Field(() => String, { nullable: true, description: 'Required for every state but RUNNING and OFFLINE.' })
  reasonCode?: string | null;
  @Field(() => LossCategoryEnum, { nullable: true, description: 'OEE loss bucket; PLANNED time is not planned production time.' })
  lossCategory?: LossCategory | null;
}

/** Operator input (HMI, andon) through the same path as telemetry and the simulator: stored, then announced. */
@Resolver(() => Machine)
export class RecordMachineStateResolver {
  @Directive(requiresScopes(Scope.PRODUCTION_WRITE))
  @Mutation(() => Machine, { description: 'Records that a machine entered a state now; announced on machineStatusChanged.' })
  async recordMachineState(@Arg('input', () => RecordMachineStateInput) input: RecordMachineStateInput, @Ctx() ctx: MesContext): Promise<Machine> {
    const machine = await changeMachineState(ctx, {
      machineId: input.machineId,
      state: input.state,
      reasonCode: input.reasonCode ?? null,
      lossCategory: input.lossCategory ?? null,
    });
    return Machine.from(machine);
  }
}
