using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages;

/// <summary>Error pages in French (status codes and unexpected errors), without details that would help an attacker.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    [FromRoute]
    public int? Code { get; set; }

    public string Title => Code switch
    {
        404 => "Page introuvable",
        400 => "Requête invalide",
        403 => "Accès refusé",
        405 => "Action impossible ici",
        413 => "Requête trop volumineuse",
        429 => "Trop de requêtes",
        503 => "Service momentanément indisponible",
        _ => "Une erreur est survenue",
    };

    public string Message => Code switch
    {
        404 => "Cette adresse ne correspond à aucune page. Si vous suivez un lien d'invitation, demandez-en un nouveau à l'organisateur.",
        400 => "La requête n'a pas pu être traitée (formulaire expiré ? rechargez la page et recommencez).",
        403 => Security.OperatorAuthorization.Refusal(HttpContext) ?? "Vous n'avez pas accès à cette page.",
        405 => "Cette page ne s'utilise pas de cette façon : revenez à la page précédente et recommencez.",
        413 => "Le fichier ou le formulaire envoyé dépasse la taille acceptée : rien n'a été enregistré. Réduisez-le et recommencez.",
        429 => Security.RateLimits.Refusal(HttpContext) ?? "Trop de tentatives en peu de temps : patientez un instant avant de recommencer.",
        503 => "Le serveur est momentanément surchargé ou ne peut pas enregistrer ; vos réponses déjà enregistrées ne sont pas perdues. Réessayez dans un instant.",
        _ => "Le serveur n'a pas pu traiter la demande ; vos réponses déjà enregistrées ne sont pas perdues. Réessayez dans un instant.",
    };

    public void OnGet()
    {
    }

    public void OnPost()
    {
    }
}
