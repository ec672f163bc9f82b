"""kg.model: a relation's fields are one table, and every reader and writer of relations follows it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import kg
from kg import vocabulary
from kg.model import RELATION_FIELDS, Relation, edge_fields, shown_fields, statement_id

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

# A fixture vocabulary: kg.vocabulary with one more qualifier, "weapon" (text), that "fights"
# takes. It is patched in as the module is first imported, before any other module reads it.
WITH_A_WEAPON = r'''
import importlib.machinery, io, json, sys, tempfile, types
from pathlib import Path

class FixtureVocabulary:
    def find_spec(self, name, path, target=None):
        if name != "kg.vocabulary":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            weapon = module.Qualifier("weapon", "weapon", "The weapon used, as the source words it.", "text")
            module.QUALIFIERS = types.MappingProxyType({**module.QUALIFIERS, "weapon": weapon})
            fights = module.RELATION_TYPES["fights"]
            fights = fights._replace(qualifiers=(*fights.qualifiers, "weapon"))
            module.RELATION_TYPES = types.MappingProxyType({**module.RELATION_TYPES, "fights": fights})

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, FixtureVocabulary())
import kg, kg.rdf
from kg.export import network as edges
from kg.rdf import ontology

folder = Path(sys.argv[1])
g = kg.load(folder, cache=False)
armed = [r for r in g.relations(type="fights") if r.weapon]
dumped = kg.dump(g, Path(tempfile.mkdtemp()) / "dumped")
csv, graphml = io.StringIO(), io.StringIO()
edges.write_csv(g, csv)
edges.write_graphml(g, graphml)
print(json.dumps({
    "weapons": [(r.id, r.weapon) for r in armed],
    "record": armed[0].to_record()["weapon"],
    "problems": [p.message for p in kg.validate(sys.argv[2], cache=False)],
    "dump": [line for line in (dumped / "relations.yaml").read_text().splitlines() if "weapon" in line],
    "dump reloads": kg.load(dumped, cache=False) == g,
    "triples": [line for line in kg.rdf.serialize(g, "nt").splitlines() if "#weapon>" in line],
    "rdf reloads": kg.from_rdf(g.to_rdf()) == g,
    "ontology": [line for line in ontology.ontology_turtle().splitlines() if line.startswith("kgv:weapon ")],
    "shapes": [line.strip() for line in ontology.shapes_turtle().splitlines() if "kgv:weapon," in line],
    "csv": [csv.getvalue().splitlines()[0], *(line for line in csv.getvalue().splitlines() if "drones" in line)],
    "graphml": [line.strip() for line in graphml.getvalue().splitlines() if 'attr.name="weapon"' in line],
    "ids": [r.id for r in g.relations() if r not in armed],
}))
'''

ARMED = """- type: fights
  subject: hts
  object: syrian-government
  weapon: drones
  sources:
    - source: cg
      quote: "Rebels who control Idlib province"
"""


def test_a_qualifier_added_to_the_vocabulary_is_read_written_exported_and_described(tmp_path: Path) -> None:
    folder, misused = tmp_path / "data", tmp_path / "misused"
    shutil.copytree(MINI, folder)
    shutil.copytree(MINI, misused)
    with open(folder / "relations.yaml", "a", encoding="utf-8") as out:
        out.write(ARMED)
    with open(misused / "relations.yaml", "a", encoding="utf-8") as out:
        out.write(ARMED.replace("fights", "backs"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", WITH_A_WEAPON, str(folder), str(misused)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    ((relation_id, weapon),) = seen["weapons"]
    assert relation_id.startswith("hts-fights-syrian-government-") and weapon == "drones"
    assert seen["record"] == "drones"
    assert seen["problems"] == ["'weapon' does not apply to 'backs'; it takes: against, support, place"]
    assert seen["dump"] == ["  weapon: drones"] and seen["dump reloads"]
    assert seen["triples"] == [f'<https://w3id.org/conflict-kg/id/statement/{relation_id}> '
                               '<https://w3id.org/conflict-kg/vocab#weapon> "drones" .']
    assert seen["rdf reloads"]
    assert seen["ontology"] == ["kgv:weapon a owl:DatatypeProperty ;"]
    assert seen["shapes"] == ['sh:message "a statement has at most one kgv:weapon, a string"@en .']
    header, row = seen["csv"]
    assert header == "id,type,subject,object,start,end,status,against,support,place,role,weapon,sources"
    assert row == f"{relation_id},fights,hts,syrian-government,,,stated,,,,,drones,cg"
    assert seen["graphml"] and 'attr.name="weapon"' in seen["graphml"][0]
    # a new field leaves the generated ids of statements that do not use it as they were
    assert seen["ids"] == [relation.id for relation in kg.load(MINI).relations()]


def test_the_relation_record_is_the_table() -> None:
    assert Relation._fields == tuple(field.name for field in RELATION_FIELDS)
    assert [field.name for field in RELATION_FIELDS if field.qualifier] == list(vocabulary.QUALIFIERS)
    assert list(Relation("r", "backs", "a", "b", ()).to_record()) == [
        field.name for field in shown_fields() if field.name != "figures"]
    assert [field.name for field in edge_fields()] == [
        "id", "type", "subject", "object", "start", "end", "status", "against", "support", "place", "role"]


def test_generated_ids_hash_what_they_always_hashed() -> None:
    values = {"type": "backs", "subject": "russia", "object": "syrian-government", "against": ("hts",),
              "support": ("air",), "start": "2015"}
    assert statement_id(values, symmetric=False) == "russia-backs-syrian-government-44eb1f84"  # as before the table
    assert statement_id({**values, "status": "stated"}, symmetric=False) == statement_id(values, symmetric=False)
    assert statement_id({**values, "against": ()}, symmetric=False) == statement_id(
        {key: value for key, value in values.items() if key != "against"}, symmetric=False)
