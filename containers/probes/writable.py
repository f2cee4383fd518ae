"""Which of the image's main folders the container's user can write to, as
JSON {folder: bool}; the data folder is the one the image declares."""

import json
import os

folders = [
    "/",
    "/app",
    "/app/project",
    "/app/stack",
    "/opt/venv",
    "/etc",
    "/usr",
    "/tmp",
]
folders.append(os.environ["DJANGO_DATA_DIR"])
result = {}
for folder in folders:
    path = os.path.join(folder, "probe-write")
    try:
        with open(path, "w") as file:
            file.write("x")
        os.unlink(path)
        result[folder] = True
    except OSError:
        result[folder] = False
print(json.dumps(result))
