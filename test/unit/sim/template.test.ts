// The Go template subset behind `docker … --format`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { executeTemplate, TemplateError } from "../../../sim/docker/template";

const container = {
  Name: "/web",
  State: { Running: true, ExitCode: 0 },
  Config: { Env: ["A=1", "B=2"], Labels: { "com.example": "x" }, Image: "redis:3.0.7" },
  Mounts: [{ Source: "/data/mesos", Destination: "/data/mesos" }],
};

test("evaluates fields, functions, pipes, conditionals and ranges", () => {
  assert.equal(executeTemplate("{{.Name}} {{.State.Running}} {{.Config.Image}}", container), "/web true redis:3.0.7");
  assert.equal(executeTemplate("{{json .Config.Env}}", container), '["A=1","B=2"]');
  assert.equal(
    executeTemplate('{{index .Config.Labels "com.example"}}|{{index .Config.Labels "missing"}}', container),
    "x|<no value>",
  );
  assert.equal(
    executeTemplate("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}", container),
    "/data/mesos:/data/mesos ",
  );
  assert.equal(executeTemplate("{{if .State.Running}}up{{else}}down{{end}}", container), "up");
  assert.equal(
    executeTemplate('{{join .Config.Env ","}} {{len .Config.Env}} {{.Name | printf "%s!"}}', container),
    "A=1,B=2 2 /web!",
  );
  assert.equal(executeTemplate("{{.Config.Env}} {{.Config.Labels}}", container), "[A=1 B=2] map[com.example:x]");
  assert.equal(executeTemplate("a  {{- .Name -}}  b", container), "a/webb");
});

test("fails on an unknown field like Go does", () => {
  assert.throws(
    () => executeTemplate("{{.Nmae}}", container),
    (e: TemplateError) =>
      e.message === 'template: :1:2: executing "" at <.Nmae>: can\'t evaluate field Nmae in type *types.ContainerJSON',
  );
  assert.throws(() => executeTemplate("{{if .Name}}x", container), /unexpected EOF/);
});
