from .cli import command

if __name__ == "__main__":  # not when a spawned worker imports it (executors.FreshPool)
    command()
