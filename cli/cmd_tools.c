/* fast tools: which external tools are present. */
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "core/tools.h"
#include "out.h"

static int run_tools(const cli_args *a)
{
    int json = cli_has(a, "json");
    cJSON *doc = json ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; fast_tools[i].name; i++) {
        char path[4096];
        int found = fast_tool_find(fast_tools[i].name, path, sizeof path);
        if (json) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "name", fast_tools[i].name);
            cJSON_AddBoolToObject(e, "found", found);
            if (found)
                cJSON_AddStringToObject(e, "path", path);
            cJSON_AddStringToObject(e, "package", fast_tools[i].package);
            cJSON_AddStringToObject(e, "purpose", fast_tools[i].purpose);
            cJSON_AddItemToArray(doc, e);
        } else {
            if (found)
                printf("%-10s %s\n", fast_tools[i].name, path);
            else
                printf("%-10s missing: apt-get install %s\n", fast_tools[i].name,
                       fast_tools[i].package);
        }
    }
    return json ? cli_print_json(doc) : 0;
}

static const cli_opt opts[] = {
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_tools = {
    "tools", "list the external tools fast uses and whether they are installed", "[--json]",
    "Commands that run RTL tools exit 3 naming the Debian package when one is missing.",
    opts, 0, 0, run_tools};
