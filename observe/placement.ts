// Where Marathon runs its apps' tasks, as `/v2/apps?embed=apps.tasks` says: which apps a host's restart stops. Pure.

/** One Marathon app with where its tasks run (`/v2/apps?embed=apps.tasks`). */
export interface PlacedApp {
  readonly id: string;
  readonly instances: number;
  readonly tasks?: ReadonlyArray<{ readonly host: string }>;
}

type Host = { readonly name: string; readonly address: string };

/** `app`'s tasks on `host`: Marathon names a task's host as its agent does (name or address). */
function tasksOf(app: Pick<PlacedApp, "tasks">, host: Host): ReadonlyArray<{ readonly host: string }> {
  return (app.tasks ?? []).filter((t) => t.host === host.address || t.host === host.name);
}

/** Whether one of `app`'s tasks runs on `host`. */
export function runsOn(app: Pick<PlacedApp, "tasks">, host: Host): boolean {
  return tasksOf(app, host).length > 0;
}

/** The ids of the apps of more than one instance with a task on `host`. */
export function multiInstanceAppsOn(apps: readonly PlacedApp[], host: Host): string[] {
  return apps.filter((app) => app.instances > 1 && runsOn(app, host)).map((app) => app.id);
}

/** How many of Marathon's tasks (of every app) run on `host`. */
export function tasksOn(apps: readonly PlacedApp[], host: Host): number {
  return apps.reduce((sum, app) => sum + tasksOf(app, host).length, 0);
}
