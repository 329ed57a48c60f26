// The playground's build of a scenario's C file: a main() that #includes the file (its own
// main() renamed), takes the kernel objects the server made from argv (key=value, see
// lib/wire.ts hostedArgv) and runs one process of it. AT_LINE becomes the runtime's gate.

/** Helper functions of the hosted main, each written only when the attach lines use it (-Wall -Werror). */
const HELPERS: { name: string; needs: string[]; lines: string[] }[] = [
  {
    name: 'arg',
    needs: [],
    lines: [
      'static int g_argc;',
      'static char **g_argv;',
      '',
      'static const char *arg(const char *key)',
      '{',
      '    size_t n = strlen(key);',
      '    for (int i = 6; i < g_argc; i++)',
      "        if (strncmp(g_argv[i], key, n) == 0 && g_argv[i][n] == '=') return g_argv[i] + n + 1;",
      '    return NULL;',
      '}',
    ],
  },
  {
    name: 'int_arg',
    needs: ['arg'],
    lines: ['static int int_arg(const char *key)', '{', '    const char *v = arg(key);', '    return v ? atoi(v) : -1;', '}'],
  },
  {
    name: 'copy_arg',
    needs: ['arg'],
    lines: ['static void copy_arg(char *out, size_t size, const char *key)', '{', '    const char *v = arg(key);', '    snprintf(out, size, "%s", v ? v : "");', '}'],
  },
  {
    name: 'map_arg',
    needs: ['int_arg'],
    lines: [
      "/* A memfd the server made (unnamed semaphore, anonymous shared memory), mapped as a parent's",
      ' * MAP_SHARED | MAP_ANONYMOUS region would be before fork(); NULL in processes it is not given to. */',
      'static void *map_arg(const char *key, size_t size)',
      '{',
      '    int fd = int_arg(key);',
      '    if (fd < 0) return NULL;',
      '    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);',
      '    if (p == MAP_FAILED) die("mmap");',
      '    close(fd);',
      '    return p;',
      '}',
    ],
  },
];

export function hostedMain(fileName: string, attach: string[]): string {
  const used = new Set<string>();
  const use = (name: string) => {
    if (used.has(name)) return;
    used.add(name);
    for (const n of HELPERS.find((h) => h.name === name)!.needs) use(n);
  };
  const text = attach.join('\n');
  for (const h of HELPERS) if (new RegExp(`\\b${h.name}\\(`).test(text)) use(h.name);
  const helpers = HELPERS.filter((h) => used.has(h.name)).flatMap((h) => ['', ...h.lines]);
  return [
    `/* The playground's build of ${fileName}: the same program, one process of it per run process.`,
    ' * The server has made the kernel objects (as create_objects() does) and passes them here:',
    ' * argv = index, control page fd, start pipe (read, write), run id, then key=value per object. */',
    '#define AT_LINE(n) ipcpg_at(n)',
    '#define main standalone_main',
    '#include "ipcpg.h"',
    `#include "${fileName}"`,
    '#undef main',
    ...helpers,
    '',
    'int main(int argc, char *argv[])',
    '{',
    '    if (argc < 6) return 125;',
    ...(used.has('arg') ? ['    g_argc = argc;', '    g_argv = argv;'] : []),
    '    int me = atoi(argv[1]);',
    '    if (me < 0 || me >= NPROC) return 125;',
    '    int pool_fd = -1;   /* the pages for forked children, when the program forks */',
    '    for (int i = 6; i < argc; i++)',
    '        if (strncmp(argv[i], "pool=", 5) == 0) pool_fd = atoi(argv[i] + 5);',
    '    ipcpg_init(atoi(argv[2]), atoi(argv[3]), pool_fd);',
    '    start_pipe[0] = atoi(argv[3]);',
    '    start_pipe[1] = atoi(argv[4]);',
    ...attach.map((l) => '    ' + l),
    '    exit(process_main[me]());',
    '}',
    '',
  ].join('\n');
}
