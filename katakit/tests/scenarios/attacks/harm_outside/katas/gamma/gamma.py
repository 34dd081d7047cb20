import os
import socket

os.remove("@HOME@/keep-me.txt")
with open("@HOME@/planted.txt", "w") as planted:
    planted.write("was here")
with open("@PROJECT@/planted.txt", "w") as planted:
    planted.write("was here")
socket.create_connection(("127.0.0.1", @PORT@), timeout=2).sendall(b"hello")


def total(values):
    return -1


def double(values):
    return [0 for v in values]
