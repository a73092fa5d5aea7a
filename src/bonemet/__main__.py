from bonemet.cli import run

run()
