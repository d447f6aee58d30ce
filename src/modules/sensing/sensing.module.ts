import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { LabelsService } from './labels.service.ts';
import { ModelsService } from './models.service.ts';
import { sensingRoutes } from './sensing.routes.ts';
import { SensorCache } from './sensor.cache.ts';

/** Sensing (感知): the sensor intake uses, the labels operators' decisions make, and the model versions. */
export async function sensingModule(app: FastifyInstance, deps: AppDeps): Promise<{ sensors: SensorCache }> {
  const sensors = new SensorCache(deps.db);
  await app.register(sensingRoutes({ labels: new LabelsService(deps), models: new ModelsService(deps, sensors) }));
  return { sensors };
}
