/* fast: full-stack accelerator search. Finds the command and hands it its arguments. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "core/util.h"
#include "core/version.h"

static void print_help(void)
{
    printf("fast %s: full-stack search for domain-optimized DNN accelerators\n\n"
           "usage: fast <command> [options]\n\ncommands:\n",
           FAST_VERSION);
    for (size_t i = 0; cli_commands[i]; i++)
        printf("  %-20s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    printf("\n'fast <command> --help' describes a command. Exit codes: 0 ok, 1 the work ran\n"
           "and failed, 2 bad input or usage, 3 missing tool or environment.\n");
}

/* Finds the command named by one or two words; *used is how many words it took. */
static const cli_cmd *lookup(int argc, char **argv, int *used)
{
    for (size_t i = 0; cli_commands[i]; i++) {
        const char *name = cli_commands[i]->name;
        const char *sp = strchr(name, ' ');
        if (!sp && strcmp(name, argv[0]) == 0) {
            *used = 1;
            return cli_commands[i];
        }
        if (sp && argc >= 2 && strncmp(name, argv[0], (size_t)(sp - name)) == 0 &&
            argv[0][sp - name] == '\0' && strcmp(sp + 1, argv[1]) == 0) {
            *used = 2;
            return cli_commands[i];
        }
    }
    return NULL;
}

static int unknown_command(int argc, char **argv)
{
    /* A group name alone ("fast config"), or a group with an unknown sub-command. */
    const char *names[64];
    size_t n = 0;
    int group = 0;
    char phrase[128];
    snprintf(phrase, sizeof phrase, "%s%s%s", argv[0], argc > 1 ? " " : "",
             argc > 1 ? argv[1] : "");
    for (size_t i = 0; cli_commands[i] && n < 63; i++) {
        const char *name = cli_commands[i]->name;
        const char *sp = strchr(name, ' ');
        if (sp && strncmp(name, argv[0], (size_t)(sp - name)) == 0 &&
            argv[0][sp - name] == '\0')
            group = 1;
        names[n++] = name;
    }
    names[n] = NULL;
    if (group) {
        fprintf(stderr, "fast: error[usage]: '%s' needs a sub-command:", argv[0]);
        for (size_t i = 0; names[i]; i++)
            if (strncmp(names[i], argv[0], strlen(argv[0])) == 0 &&
                names[i][strlen(argv[0])] == ' ')
                fprintf(stderr, " '%s'", names[i]);
        fprintf(stderr, "\n");
        return 2;
    }
    const char *near = fast_suggest(argv[0], names);
    if (!near)
        near = fast_suggest(phrase, names);
    if (near)
        fprintf(stderr, "fast: error[usage]: unknown command '%s' (did you mean '%s'?)\n",
                argv[0], near);
    else
        fprintf(stderr, "fast: error[usage]: unknown command '%s' (see 'fast --help')\n",
                argv[0]);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help();
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_help();
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("fast %s\n", FAST_VERSION);
        return 0;
    }
    if (argv[1][0] == '-') {
        fprintf(stderr, "fast: error[usage]: unknown option '%s' (see 'fast --help')\n",
                argv[1]);
        return 2;
    }
    int used = 0;
    const cli_cmd *cmd = lookup(argc - 1, argv + 1, &used);
    if (!cmd)
        return unknown_command(argc - 1, argv + 1);
    static cli_args args; /* large; one per process */
    int rc = cli_parse(cmd, argc - 1 - used, argv + 1 + used, &args);
    if (rc < 0)
        return 0;
    if (rc > 0)
        return rc;
    return cmd->run(&args);
}
